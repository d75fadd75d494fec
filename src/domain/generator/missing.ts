/**
 * Sparse text columns and realistic missingness (≈2.6 % of cells, SEED_SPEC §1.1, §9), applied after
 * the totals are derived, to columns that are not part of any accounting identity.
 */
import type { SurveyValues } from '../fields.js';
import { round, type Rng } from './rng.js';

const LOAN_CODES = ['1', '2', '3', '4', '5'] as const;
const BANANA_WILT = ['1', '2', '1 2', '3', '2 3', '1 3'] as const;
const BANANA_WEIGHTS = [0.3, 0.3, 0.2, 0.1, 0.05, 0.05] as const;

/** Multi-select and sparse columns: Loan_from, food_banana_wilt_diseases, organic_pesticide_expenditure. */
export function sparseColumns(rng: Rng): SurveyValues {
  const loan = rng.pick(LOAN_CODES);
  const second = rng.bernoulli(0.2) ? rng.pick(LOAN_CODES) : loan;
  const loanFrom = second === loan ? loan : [loan, second].sort().join(' ');
  const pesticide = rng.bernoulli(0.6) ? 0 : round(rng.lognormal(Math.log(5), 0.8), 2);
  return {
    Loan_from: loanFrom,
    organic_pesticide_expenditure: pesticide,
    food_banana_wilt_diseases: BANANA_WILT[rng.weighted(BANANA_WEIGHTS)] ?? '1',
  };
}

/** Probability that a column is blank. */
export const MISSING_RATES: Readonly<Record<string, number>> = {
  organic_pesticide_expenditure: 0.85,
  Loan_from: 0.45,
  household_fertilizer: 0.25,
  food_banana_wilt_diseases: 0.2,
  business_number: 0.06,
  TimeToWater: 0.04,
  composts: 0.04,
  AgricultureLand: 0.015,
};

/** Share of `phones_owned` recorded as the -99 missing code. */
export const PHONES_SENTINEL_RATE = 0.005;

/** Blanks cells at {@link MISSING_RATES} and writes the phones sentinel, in place. */
export function applyMissingness(rng: Rng, v: SurveyValues): void {
  for (const [column, rate] of Object.entries(MISSING_RATES)) {
    if (rng.bernoulli(rate)) v[column] = null;
  }
  if (rng.bernoulli(PHONES_SENTINEL_RATE)) v['phones_owned'] = -99;
}
