/**
 * Daily split of the target and every derived total, so the accounting identities of SEED_SPEC §1.1 hold
 * exactly (up to float rounding far below 1e-6) on generated data.
 */
import { TARGET_COLUMN, type SurveyValues } from '../fields.js';
import { round, sigmoid, type Rng } from './rng.js';

/** Splits a daily target into HHIncome/Day and Consumption/Day (income ≈ 59 % on average). */
export function dailySplit(rng: Rng, target: number): SurveyValues {
  const share = sigmoid(0.42 + 0.55 * rng.normal());
  const income = Math.min(target, Math.max(0.01, round(target * share, 4)));
  return { 'HHIncome/Day': income, 'Consumption/Day': round(target - income, 4) };
}

const num = (v: SurveyValues[string] | undefined): number => (typeof v === 'number' ? v : 0);

/** Total = sum of parts (2-decimal money). */
const SUMS: readonly (readonly [string, readonly string[]])[] = [
  ['VegetableIncome', ['Season1VegetableIncome', 'Season2VegatableIncome']],
  ['SeasonalVegetableValue', ['Season1VegetableValue', 'Season2VegetableValue']],
  ['SeasonalCropIncome', ['Season1CropIncome', 'Season2CropIncome']],
  ['SeasonalAgricValue', ['Season1AgricValue', 'Season2AgricValue']],
  ['AgricValue', ['SeasonalAgricValue', 'PerennialAgricValue']],
];

/** Annual column = 365 × daily column. */
export const ANNUAL_OF_DAILY: readonly (readonly [string, string])[] = [
  ['HouseholdIcome', 'HHIncome/Day'],
  ['Consumption+Residues', 'Consumption/Day'],
  ['HHIncome+Consumption+Residues', TARGET_COLUMN],
  ['HHIncome+Consumption+Assets+Residues', 'HHIncome+Consumption+Assets+Residues/Day'],
];

/** Columns computed by {@link deriveTotals} (never drawn directly). */
export const DERIVED_COLUMNS: ReadonlySet<string> = new Set([
  ...SUMS.map(([total]) => total),
  ...ANNUAL_OF_DAILY.map(([annual]) => annual),
  TARGET_COLUMN,
  'HHIncome+Consumption+Assets+Residues/Day',
]);

/**
 * Fills every derived column from the base ones, in place: season totals, AgricValue, the daily target
 * (= HHIncome/Day + Consumption/Day), the +Assets daily total (= target + Assets / 365) and the annual
 * columns (= 365 × their /Day column).
 */
export function deriveTotals(v: SurveyValues): void {
  for (const [total, parts] of SUMS)
    v[total] = round(
      parts.reduce((s, p) => s + num(v[p]), 0),
      2,
    );
  const target = round(num(v['HHIncome/Day']) + num(v['Consumption/Day']), 4);
  v[TARGET_COLUMN] = target;
  v['HHIncome+Consumption+Assets+Residues/Day'] = round(target + num(v['Assets']) / 365, 4);
  for (const [annual, daily] of ANNUAL_OF_DAILY) v[annual] = round(365 * num(v[daily]), 4);
}
