/**
 * Standard deviations of numeric columns on clean generated data, used to size drift shifts
 * ("shift by k standard deviations"). Measured once per process on a fixed-seed sample.
 */
import { DISTRICTS, type District } from '../fields.js';
import { DISTRICT_PROFILES } from './gazetteer.js';
import { buildHousehold } from './record.js';
import { Rng } from './rng.js';

const CALIBRATION_SEED = 0x5eed;
const CALIBRATION_ROWS = 3000;
let cache: ReadonlyMap<string, number> | undefined;

function sample(): Map<string, number[]> {
  const cols = new Map<string, number[]>();
  const usedIds = new Set<string>();
  const weights = DISTRICTS.map((d) => DISTRICT_PROFILES[d].share);
  for (let i = 0; i < CALIBRATION_ROWS; i++) {
    const rng = Rng.derive(CALIBRATION_SEED, 0, i);
    const district: District = DISTRICTS[rng.weighted(weights)] ?? 'Rukungiri';
    const { values } = buildHousehold(rng, district, usedIds);
    for (const [column, value] of Object.entries(values)) {
      if (typeof value !== 'number' || value === -99) continue;
      const list = cols.get(column) ?? [];
      list.push(value);
      cols.set(column, list);
    }
  }
  return cols;
}

function sd(xs: readonly number[]): number {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
}

/** Standard deviation of a numeric column on clean data (0 when the column is never numeric). */
export function columnSd(column: string): number {
  if (!cache) cache = new Map([...sample()].map(([c, xs]) => [c, sd(xs)]));
  return cache.get(column) ?? 0;
}
