/**
 * Builds the survey columns of one clean household (no injected problem).
 */
import { SURVEY_FIELDS, type District, type SurveyValues } from '../fields.js';
import { dailySplit, deriveTotals } from './accounts.js';
import {
  accessColumns,
  agricultureLand,
  cropColumns,
  demographicColumns,
  drawLatent,
  householdSize,
  placeColumns,
  practiceColumns,
  type Latent,
} from './household.js';
import { assetsValue, farmColumns, offFarmColumns } from './livelihood.js';
import { applyMissingness, sparseColumns } from './missing.js';
import type { Rng } from './rng.js';
import { applyShifts, type ResolvedShift } from './shift.js';

/** Returns the values in dictionary order, every column present (blank = null). */
export function orderValues(v: SurveyValues): SurveyValues {
  const out: SurveyValues = {};
  for (const { column } of SURVEY_FIELDS) out[column] = v[column] ?? null;
  return out;
}

function baseColumns(rng: Rng, lat: Latent, usedIds: Set<string>): SurveyValues {
  const land = agricultureLand(rng, lat);
  const crops = cropColumns(rng, lat, land);
  return {
    ...placeColumns(rng, lat.district, usedIds),
    HouseholdSize: householdSize(rng, lat),
    ...accessColumns(rng, lat),
    AgricultureLand: land,
    ...crops,
    ...demographicColumns(rng, lat),
    ...practiceColumns(rng, lat),
    ...offFarmColumns(rng, lat),
    ...farmColumns(rng, lat, crops, land),
    Assets: assetsValue(rng, lat),
    ...dailySplit(rng, lat.target),
    ...sparseColumns(rng),
  };
}

/** A clean household of `district` with its latent state; `shifts` apply mean-shift drift. */
export function buildHousehold(
  rng: Rng,
  district: District,
  usedIds: Set<string>,
  shifts: readonly ResolvedShift[] = [],
): { values: SurveyValues; latent: Latent } {
  const latent = drawLatent(rng, district);
  const v = baseColumns(rng, latent, usedIds);
  applyShifts(v, shifts, 'base');
  deriveTotals(v);
  applyShifts(v, shifts, 'derived');
  applyMissingness(rng, v);
  return { values: orderValues(v), latent };
}
