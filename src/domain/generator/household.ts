/**
 * Household profile columns (place, size, land, crops, access, demographics, possessions, WASH) built
 * from a latent wealth factor.
 *
 * `z ~ N(0,1)` is the household's true (within-district) wealth and alone fixes the daily target.
 * Every other column sees only the *observable* wealth `o = A·z + √(1−A²)·ε + δ_district`, each with
 * its own extra noise, so features carry real but capped signal: a model on non-target features can at
 * best recover `o`, whose correlation with `z` is `A` (tuned so such a model reaches ROC AUC ≈ 0.85).
 */
import type { District, SurveyValues } from '../fields.js';
import { DISTRICT_PROFILES, PLACES, householdId } from './gazetteer.js';
import { round, sigmoid, type Rng } from './rng.js';
import { TARGET_MAX, TARGET_MIN, districtLogMedian, targetFromWealth } from './target.js';

/** Correlation between true and observable wealth. */
export const OBSERVABLE_WEALTH_CORRELATION = 0.86;
/** Spread of ln(target) used to express district offsets in units of wealth. */
const LOG_TARGET_SD = 0.52;
const MEAN_LOG_MEDIAN = 0.66;

/** A household's latent state. */
export interface Latent {
  readonly district: District;
  /** True wealth, N(0,1) within the district. */
  readonly z: number;
  /** Observable wealth (what non-target columns are drawn from). */
  readonly o: number;
  /** Daily target, USD/day, rounded to 4 decimals. */
  readonly target: number;
}

/** Draws the latent state; `z` is redrawn until the target is inside [0.1, 8.5]. */
export function drawLatent(rng: Rng, district: District): Latent {
  let z = rng.normal();
  let target = targetFromWealth(district, z);
  for (let i = 0; i < 50 && (target < TARGET_MIN || target > TARGET_MAX); i++) {
    z = rng.normal();
    target = targetFromWealth(district, z);
  }
  const a = OBSERVABLE_WEALTH_CORRELATION;
  const offset = (districtLogMedian(district) - MEAN_LOG_MEDIAN) / LOG_TARGET_SD;
  const o = a * z + Math.sqrt(1 - a * a) * rng.normal() + offset;
  return { district, z, o, target: round(Math.min(TARGET_MAX, Math.max(TARGET_MIN, target)), 4) };
}

/** 0/1 with probability sigmoid(base + beta·o). */
export function flag(rng: Rng, base: number, beta: number, o: number): 0 | 1 {
  return rng.bernoulli(sigmoid(base + beta * o)) ? 1 : 0;
}

/** Place and identity columns. */
export function placeColumns(rng: Rng, district: District, usedIds: Set<string>): SurveyValues {
  const place = rng.pick(PLACES[district]);
  let id = householdId(rng, place);
  for (let i = 0; i < 20 && usedIds.has(id); i++) id = householdId(rng, place);
  usedIds.add(id);
  return { District: district, Cluster: place.cluster, Village: place.village, HouseHoldID: id };
}

/** Household size: 1 + Poisson, larger for wealthier households, with rare outliers up to 27. */
export function householdSize(rng: Rng, lat: Latent): number {
  if (rng.bernoulli(0.004)) return 11 + rng.int(17);
  const lambda = (DISTRICT_PROFILES[lat.district].meanSize - 1.03) * Math.exp(0.13 * lat.o - 0.02);
  return Math.min(16, 1 + rng.poisson(lambda));
}

/** Agricultural land in acres (quarter-acre steps), zero for ~3 %, rare large outliers. */
export function agricultureLand(rng: Rng, lat: Latent): number {
  if (rng.bernoulli(sigmoid(-3.6 - 0.5 * lat.o))) return 0;
  if (rng.bernoulli(0.0015)) return round(rng.uniform(20, 95), 0);
  const mean = DISTRICT_PROFILES[lat.district].meanLand * 0.99;
  const sigma = 0.7;
  const acres = Math.exp(
    Math.log(mean) - (sigma * sigma) / 2 - 0.06 + 0.33 * lat.o + rng.normal(0, sigma),
  );
  return Math.max(0.25, Math.min(40, round(acres * 4, 0) / 4));
}

/** Crop counts per season and perennial crops (0–6), consistent with land and perennial_cropping. */
export function cropColumns(rng: Rng, lat: Latent, land: number): SurveyValues {
  if (land === 0) {
    return {
      Season1CropsPlanted: 0,
      Season2CropsPlanted: 0,
      PerennialCropsGrown: 0,
      perennial_cropping: 0,
    };
  }
  const landEffect = 0.25 * Math.log(land + 0.5);
  const s1 = Math.min(6, rng.poisson(1.9 * Math.exp(0.18 * lat.o + landEffect)));
  const s2 = Math.min(6, rng.poisson(1.5 * Math.exp(0.18 * lat.o + landEffect)));
  const perennial = flag(rng, 0.2, 0.6, lat.o);
  const grown = perennial === 1 ? Math.min(6, 1 + rng.poisson(0.9 * Math.exp(0.25 * lat.o))) : 0;
  return {
    Season1CropsPlanted: s1,
    Season2CropsPlanted: s2,
    PerennialCropsGrown: grown,
    perennial_cropping: perennial,
  };
}

/** Minutes to the outpatient department and to water. */
export function accessColumns(rng: Rng, lat: Latent): SurveyValues {
  const opd = Math.round(rng.normal(66 - 7 * lat.o, 26) / 5) * 5;
  const water = Math.round(Math.exp(Math.log(27) - 0.12 * lat.o + rng.normal(0, 0.62)));
  return {
    TimeToOPD: Math.max(5, Math.min(240, opd)),
    TimeToWater: Math.max(1, Math.min(300, water)),
  };
}

/** Head of household, walls, radios, phones, meals. */
export function demographicColumns(rng: Rng, lat: Latent): SurveyValues {
  const o = lat.o;
  const radios = rng.bernoulli(0.005) ? 2 + rng.int(3) : flag(rng, -0.4, 0.5, o);
  const phones = Math.min(6, rng.poisson(0.95 * Math.exp(0.3 * o)));
  const meals = rng.bernoulli(sigmoid(-2.6 - 0.6 * o)) ? 1 : 2 + flag(rng, -1.1, 0.7, o);
  return {
    hhh_sex: rng.bernoulli(sigmoid(-1.3 - 0.3 * o)) ? 2 : 1,
    hhh_read_write: flag(rng, 0.9, 0.65, o),
    Material_walls: 1 + flag(rng, -0.5, 0.7, o),
    radios_owned: radios,
    phones_owned: phones,
    daily_meals: meals,
  };
}

/** Base logit and wealth slope of each 0/1 household-practice column (rates from SEED_SPEC §9). */
const PRACTICES: readonly (readonly [string, number, number])[] = [
  ['latrine_constructed', 3.95, 0.25],
  ['tippy_tap_available', -0.72, 0.22],
  ['soap_ash_available', -1.17, 0.16],
  ['standard_hangline', 0.4, 0.3],
  ['kitchen_house', 0.0, 0.4],
  ['bathroom_constructed', 0.2, 0.4],
  ['swept_compound', 1.4, 0.3],
  ['dish_rack_present', -0.2, 0.4],
  ['composts', -0.3, 0.3],
  ['non_bio_waste_mgt_present', -0.8, 0.3],
  ['apply_liquid_manure', -1.4, 0.3],
  ['water_control_practise', 5.3, 0],
  ['soil_management', 5.8, 0],
  ['postharvest_food_storage', 0.3, 0.3],
  ['household_fertilizer', -1.6, 0.4],
];

/** WASH, housing and farming-practice flags. */
export function practiceColumns(rng: Rng, lat: Latent): SurveyValues {
  const out: SurveyValues = {};
  for (const [column, base, beta] of PRACTICES) out[column] = flag(rng, base, beta, lat.o);
  return out;
}
