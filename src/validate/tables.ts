/**
 * The tables the per-field rules are generated from. Ranges come from the real data (SEED_SPEC §1.1,
 * §9, §10), generous enough that every real record passes, tight enough to catch entry errors.
 */
import { DISTRICTS, SURVEY_FIELDS, TARGET_COLUMN, type FieldDef } from '../domain/fields.js';

/** Longest accepted text value (DESIGN §7: every input is bounded). */
export const TEXT_MAX_LENGTH = 200;
/** Ceiling for annual money flows (USD/year). */
export const MONEY_MAX = 1_000_000;
/** Ceiling for stock values (USD): assets, livestock assets. */
export const ASSET_MAX = 100_000_000;
/** Ceiling for per-day money (USD/day); the real maximum is 8.67. */
export const DAILY_MAX = 50;
/** The missing-value code used by `phones_owned`. */
export const PHONES_SENTINEL = -99;

/** An inclusive numeric range, plus codes accepted outside it. */
export interface Range {
  readonly min: number;
  readonly max: number;
  readonly codes?: readonly number[];
}

/** Explicit ranges; other numeric columns get a range from their unit (see {@link rangeFor}). */
const EXPLICIT_RANGES: Readonly<Record<string, Range>> = {
  HouseholdSize: { min: 1, max: 30 },
  TimeToOPD: { min: 0, max: 600 },
  TimeToWater: { min: 0, max: 600 },
  AgricultureLand: { min: 0, max: 200 },
  Season1CropsPlanted: { min: 0, max: 20 },
  Season2CropsPlanted: { min: 0, max: 20 },
  PerennialCropsGrown: { min: 0, max: 20 },
  radios_owned: { min: 0, max: 20 },
  phones_owned: { min: 0, max: 20, codes: [PHONES_SENTINEL] },
  business_number: { min: 0, max: 20 },
  daily_meals: { min: 0, max: 6 },
};

const UNIT_RANGES: Readonly<Record<string, Range>> = {
  'USD/year': { min: 0, max: MONEY_MAX },
  USD: { min: 0, max: ASSET_MAX },
  'USD/day': { min: 0, max: DAILY_MAX },
};

/** The range of a numeric field. @throws Error when a numeric field has none (caught at load time). */
export function rangeFor(def: FieldDef): Range {
  const range = EXPLICIT_RANGES[def.column] ?? (def.unit ? UNIT_RANGES[def.unit] : undefined);
  if (!range) throw new Error(`no validation range for numeric column ${def.column}`);
  return range;
}

/** Numeric (`float`/`int`) fields. */
export const NUMERIC_FIELDS: readonly FieldDef[] = SURVEY_FIELDS.filter(
  (f) => f.kind === 'float' || f.kind === 'int',
);

/** Allowed values of coded fields; every `code` field not listed is binary 0/1. */
const CODE_VALUES: Readonly<Record<string, readonly number[]>> = {
  hhh_sex: [1, 2],
  Material_walls: [1, 2],
};

/** An enumeration: the allowed values of one column. */
export interface EnumSpec {
  readonly column: string;
  readonly values: readonly (string | number)[];
}

/** Enumerations: District and every `code` field. */
export const ENUMS: readonly EnumSpec[] = [
  { column: 'District', values: DISTRICTS },
  ...SURVEY_FIELDS.filter((f) => f.kind === 'code').map((f) => ({
    column: f.column,
    values: CODE_VALUES[f.column] ?? [0, 1],
  })),
];

/** A statistical-outlier threshold: values above `above` are plausible but rare. */
export interface OutlierSpec {
  readonly column: string;
  readonly above: number;
  readonly why: string;
}

export const OUTLIERS: readonly OutlierSpec[] = [
  { column: 'HouseholdSize', above: 20, why: 'real sizes above 11 are rare, max 27' },
  {
    column: 'AgricultureLand',
    above: 50,
    why: 'real land is mostly 0–10 acres, one outlier of ≈90',
  },
  { column: 'TimeToOPD', above: 300, why: 'real times are 15–120 minutes' },
  { column: 'TimeToWater', above: 300, why: 'real mean is 33 minutes' },
  { column: TARGET_COLUMN, above: 20, why: 'real daily targets are 0.12–8.41 USD/day' },
];

/**
 * Fields that are usually blank in the real survey; they do not count towards completeness.
 * The target is not required (unlabelled surveys are valid), so it does not count either.
 */
export const SPARSE_FIELDS: ReadonlySet<string> = new Set([
  'organic_pesticide_expenditure',
  'Loan_from',
  'household_fertilizer',
  'food_banana_wilt_diseases',
  TARGET_COLUMN,
]);

/** Fields a complete survey is expected to fill: optional and not sparse. */
export const EXPECTED_FIELDS: readonly string[] = SURVEY_FIELDS.filter(
  (f) => !f.required && !SPARSE_FIELDS.has(f.column),
).map((f) => f.column);
