/**
 * Mean-shift drift on numeric columns. A shift of a base column is applied before the totals are derived,
 * so accounting identities still hold; shifting the target rescales its two daily components; shifting
 * any other derived total is applied afterwards and breaks its identity on purpose (the validator then
 * reports cross-field warnings).
 */
import { FIELD_BY_COLUMN, TARGET_COLUMN, type SurveyValues } from '../fields.js';
import { DERIVED_COLUMNS } from './accounts.js';
import { round } from './rng.js';

/** A shift with its amount in column units. */
export interface ResolvedShift {
  readonly column: string;
  readonly delta: number;
}

const MONEY_MAX = 1_000_000;
const BOUNDS: Readonly<Record<string, readonly [number, number]>> = {
  HouseholdSize: [1, 30],
  TimeToOPD: [0, 600],
  TimeToWater: [0, 600],
  AgricultureLand: [0, 200],
  Season1CropsPlanted: [0, 20],
  Season2CropsPlanted: [0, 20],
  PerennialCropsGrown: [0, 20],
  radios_owned: [0, 20],
  phones_owned: [0, 20],
  business_number: [0, 20],
  daily_meals: [0, 6],
};

function bounds(column: string): readonly [number, number] {
  return BOUNDS[column] ?? (column.endsWith('/Day') ? [0, 50] : [0, MONEY_MAX]);
}

/** Throws when `column` is not a numeric survey column that can be shifted. */
export function assertShiftable(column: string): void {
  const def = FIELD_BY_COLUMN.get(column);
  if (def?.column !== column) throw new RangeError(`drift shift: unknown column '${column}'`);
  if (def.kind !== 'float' && def.kind !== 'int') {
    throw new RangeError(`drift shift: column '${column}' is a ${def.kind}, not a number`);
  }
}

function shiftValue(column: string, value: number, delta: number): number {
  const [lo, hi] = bounds(column);
  const shifted = Math.min(hi, Math.max(lo, value + delta));
  const def = FIELD_BY_COLUMN.get(column);
  if (def?.kind === 'int') return Math.round(shifted);
  return round(shifted, column.endsWith('/Day') ? 4 : 2);
}

function shiftTarget(v: SurveyValues, delta: number): void {
  const income = v['HHIncome/Day'];
  const consumption = v['Consumption/Day'];
  if (typeof income !== 'number' || typeof consumption !== 'number') return;
  const total = income + consumption;
  const factor = Math.min(50, Math.max(0.05, total + delta)) / total;
  v['HHIncome/Day'] = round(income * factor, 4);
  v['Consumption/Day'] = round(consumption * factor, 4);
}

/** Applies the shifts of one phase ('base' before totals are derived, 'derived' after), in place. */
export function applyShifts(
  v: SurveyValues,
  shifts: readonly ResolvedShift[],
  phase: 'base' | 'derived',
): void {
  for (const { column, delta } of shifts) {
    if (column === TARGET_COLUMN) {
      if (phase === 'base') shiftTarget(v, delta);
      continue;
    }
    if (DERIVED_COLUMNS.has(column) !== (phase === 'derived')) continue;
    const value = v[column];
    if (typeof value === 'number' && value !== -99) v[column] = shiftValue(column, value, delta);
  }
}
