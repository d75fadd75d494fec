/**
 * Small self-contained synthetic surveys for featurizer/trainer/model tests: a latent wealth
 * drives a few columns, the target follows it, and some cells are blank or use the -99 sentinel.
 */
import { DISTRICTS, TARGET_COLUMN, type SurveyValues } from '../../../src/domain/fields.js';
import { createRng } from '../../../src/train/index.js';

/** A labelled synthetic survey. */
export interface SyntheticSurvey {
  readonly values: SurveyValues;
  readonly vulnerable: 0 | 1;
}

function normal(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

const money = (rng: () => number, p: number, scale: number, w: number): number =>
  rng() < p ? Math.round(scale * Math.exp(0.5 * w + 0.6 * normal(rng)) * 100) / 100 : 0;

/** `count` surveys, deterministic in `seed`. */
export function syntheticSurveys(count: number, seed: number): SyntheticSurvey[] {
  const rng = createRng(seed);
  const out: SyntheticSurvey[] = [];
  for (let i = 0; i < count; i++) {
    const w = normal(rng);
    const target = Math.exp(0.67 + 0.5 * w);
    const values: SurveyValues = {
      District: DISTRICTS[Math.floor(rng() * 4)]!,
      HouseholdSize: 1 + Math.floor(rng() * 9),
      TimeToOPD: Math.round(60 - 10 * w + 20 * normal(rng)),
      TimeToWater: rng() < 0.05 ? null : Math.round(30 * Math.exp(0.5 * normal(rng))),
      AgricultureLand: Math.round(Math.exp(0.3 * w + 0.5 * normal(rng)) * 4) / 4,
      Season1CropsPlanted: Math.floor(rng() * 5),
      FormalEmployment: money(rng, 0.1 + 0.05 * Math.max(w, 0), 600, w),
      CasualLabour: money(rng, 0.4, 120, -w),
      LivestockIncome: money(rng, 0.4, 70, w),
      Assets: Math.round(165 * Math.exp(0.45 * w + 0.5 * normal(rng))),
      hhh_sex: rng() < 0.2 ? 2 : 1,
      radios_owned: rng() < 0.4 + 0.1 * w ? 1 : 0,
      phones_owned: rng() < 0.01 ? -99 : Math.floor(rng() * 3 + w),
      latrine_constructed: rng() < 0.97 ? 1 : 0,
      tippy_tap_available: rng() < 0.33 ? 1 : 0,
      work_salaried: rng() < 0.1 ? 1 : 0,
      household_fertilizer: rng() < 0.25 ? null : rng() < 0.3 ? 1 : 0,
      HouseholdIcome: Math.round(target * 0.6 * 365 * 100) / 100,
      AgricValue: Math.round(100 * Math.exp(0.5 * w) * 100) / 100,
      [TARGET_COLUMN]: Math.round(target * 1e4) / 1e4,
    };
    out.push({ values, vulnerable: target < 1.77 ? 1 : 0 });
  }
  return out;
}
