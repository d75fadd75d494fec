/**
 * Built-in spec templates. They are unfitted: run `fitSpec(template, trainingRows)` before use.
 *
 * - `honest-v1` (default): no target components (SEED_SPEC §4, §10); 45 model columns.
 * - `seed-part-a`: the seed's Part A inputs (§4.1), 59 model columns, `leaking: true`. Only for
 *   reproducing the seed's inflated numbers.
 */
import { DISTRICTS } from '../domain/fields.js';
import type { DerivedDef, FeatureSpec, NumericFeature } from './schema.js';

/** Income sources reported individually (not the HouseholdIcome aggregate, not consumption, not produce value). */
export const INCOME_SOURCES = [
  'VSLA_Profits',
  'VegetableIncome',
  'FormalEmployment',
  'PersonalBusinessAndSelfEmployment',
  'CasualLabour',
  'RemittancesAndGifts',
  'RentIncome',
  'SeasonalCropIncome',
  'PerenialCropIncome',
  'LivestockIncome',
] as const;

const INFRASTRUCTURE = [
  'latrine_constructed',
  'tippy_tap_available',
  'soap_ash_available',
  'bathroom_constructed',
  'kitchen_house',
];

const SIZE_BINS: DerivedDef = {
  id: 'household_size_category',
  op: 'bins',
  input: 'HouseholdSize',
  edges: [3, 5, 7],
  labels: ['Small', 'Medium', 'Large', 'Very Large'],
  description: 'Small 1–3, Medium 4–5, Large 6–7, Very Large ≥ 8',
};

const HONEST_DERIVED: DerivedDef[] = [
  {
    id: 'income_total',
    op: 'sum',
    inputs: [...INCOME_SOURCES],
    missing: 'skip',
    description: 'sum of reported income sources',
  },
  {
    id: 'income_per_capita',
    op: 'ratio',
    numerator: 'income_total',
    denominator: 'HouseholdSize',
    zeroDenominatorAs: 1,
  },
  {
    id: 'infrastructure_score',
    op: 'sum',
    inputs: INFRASTRUCTURE,
    missing: 'skip',
    description: '0–5 WASH/housing items',
  },
  SIZE_BINS,
  {
    id: 'livelihood_diversity',
    op: 'count_positive',
    inputs: [...INCOME_SOURCES],
    description: 'number of positive income sources',
  },
  {
    id: 'asset_ownership_score',
    op: 'sum',
    inputs: ['radios_owned', 'phones_owned'],
    missing: 'propagate',
    missingCodes: [-99],
    description: 'radios + phones; -99 (and any missing input) makes it missing, then imputed',
  },
  {
    id: 'crop_income',
    op: 'sum',
    inputs: ['SeasonalCropIncome', 'PerenialCropIncome'],
    missing: 'skip',
  },
  {
    id: 'crop_income_per_acre',
    op: 'ratio',
    numerator: 'crop_income',
    denominator: 'AgricultureLand',
    zeroDenominatorAs: 0.1,
    description: 'crop sales per acre (non-leaking stand-in for the seed agric_productivity)',
  },
];

const num = (name: string, extra: Partial<NumericFeature> = {}): NumericFeature => ({
  name,
  source: name,
  impute: 'median',
  ...extra,
});
const money = (name: string): NumericFeature => num(name, { transform: 'log1p' });

/** The default, non-leaking spec template (`honest-v1`). */
export function honestV1Template(): FeatureSpec {
  return {
    name: 'honest-v1',
    version: '1.0.0',
    leaking: false,
    description:
      'Household, access, land, crop, reported income-source, asset-value, possession and WASH features. ' +
      'Leaves out the target, ' +
      'HouseholdIcome, consumption aggregates, AgricValue and every *Value aggregate, and every /Day column.',
    standardize: true,
    derived: HONEST_DERIVED,
    numeric: [
      num('HouseholdSize', { clip: [1, 30] }),
      num('TimeToOPD', { clip: [0, 600] }),
      num('TimeToWater', { clip: [0, 600] }),
      num('AgricultureLand', { transform: 'log1p' }),
      num('Season1CropsPlanted'),
      num('Season2CropsPlanted'),
      num('PerennialCropsGrown'),
      ...INCOME_SOURCES.map(money),
      money('Assets'),
      num('daily_meals', { clip: [0, 6] }),
      money('income_total'),
      money('income_per_capita'),
      num('infrastructure_score'),
      num('livelihood_diversity'),
      num('asset_ownership_score', { clip: [0, 20] }),
      money('crop_income_per_acre'),
    ],
    categorical: [
      { name: 'District', source: 'District', categories: [...DISTRICTS], unknown: 'ignore' },
      { name: 'hhh_sex', source: 'hhh_sex', categories: ['1', '2'], unknown: 'ignore' },
      {
        name: 'hhh_read_write',
        source: 'hhh_read_write',
        categories: ['0', '1'],
        unknown: 'ignore',
      },
      {
        name: 'Material_walls',
        source: 'Material_walls',
        categories: ['1', '2'],
        unknown: 'ignore',
      },
      {
        name: 'household_size_category',
        source: 'household_size_category',
        categories: ['Small', 'Medium', 'Large', 'Very Large'],
        unknown: 'ignore',
      },
    ],
    binary: [
      'work_casual',
      'work_salaried',
      'save_mode_7',
      'perennial_cropping',
      'household_fertilizer',
      'postharvest_food_storage',
    ].map((name) => ({ name, source: name, impute: 'mode' as const })),
  };
}

const SEED_NUMERIC = [
  'HouseholdSize',
  'TimeToOPD',
  'TimeToWater',
  'AgricultureLand',
  'Season1CropsPlanted',
  'Season2CropsPlanted',
  'PerennialCropsGrown',
  'Season1VegetableIncome',
  'Season2VegatableIncome',
  'VegetableIncome',
  'FormalEmployment',
  'PersonalBusinessAndSelfEmployment',
  'CasualLabour',
  'RemittancesAndGifts',
  'RentIncome',
  'SeasonalCropIncome',
  'PerenialCropIncome',
  'LivestockIncome',
  'AgricValue',
  'HouseholdIcome',
];

const SEED_BINARY = [
  'radios_owned',
  'phones_owned',
  'work_casual',
  'work_salaried',
  'latrine_constructed',
  'tippy_tap_available',
  'soap_ash_available',
  'standard_hangline',
  'kitchen_house',
  'bathroom_constructed',
  'swept_compound',
  'dish_rack_present',
  'perennial_cropping',
  'household_fertilizer',
  'non_bio_waste_mgt_present',
  'apply_liquid_manure',
  'water_control_practise',
  'soil_management',
  'postharvest_food_storage',
  'save_mode_7',
];

/**
 * The seed's Part A inputs (SEED_SPEC §4.1): 25 numeric (median, standardised), 5 one-hot
 * categoricals (learned, sorted, unknown ignored), 20 binaries (most frequent). LEAKING.
 * Differences: the seed's duplicate column `Assets.1` is read from `Assets`; binaries are 0/1
 * (the seed passed counts such as radios_owned = 2 through unchanged).
 */
export function seedPartATemplate(): FeatureSpec {
  return {
    name: 'seed-part-a',
    version: '1.0.0',
    leaking: true,
    description:
      'Reproduces the seed Part A inputs, including HouseholdIcome and AgricValue (components of the target): ' +
      'only for comparison with the seed 97.9 % claim, never for deployment.',
    standardize: true,
    derived: [
      {
        id: 'income_per_capita',
        op: 'ratio',
        numerator: 'HouseholdIcome',
        denominator: 'HouseholdSize',
        zeroDenominatorAs: 1,
      },
      {
        id: 'agric_productivity',
        op: 'ratio',
        numerator: 'AgricValue',
        denominator: 'AgricultureLand',
        zeroDenominatorAs: 0.1,
      },
      {
        id: 'asset_ownership_score',
        op: 'sum',
        inputs: ['radios_owned', 'phones_owned'],
        missing: 'propagate',
      },
      { id: 'infrastructure_score', op: 'sum', inputs: INFRASTRUCTURE, missing: 'propagate' },
      SIZE_BINS,
    ],
    numeric: [
      ...SEED_NUMERIC.map((n) => num(n)),
      num('Assets.1', { source: 'Assets' }),
      ...[
        'income_per_capita',
        'agric_productivity',
        'asset_ownership_score',
        'infrastructure_score',
      ].map((n) => num(n)),
    ],
    categorical: [
      'District',
      'hhh_sex',
      'hhh_read_write',
      'Material_walls',
      'household_size_category',
    ].map((name) => ({ name, source: name, categories: [], unknown: 'ignore' as const })),
    binary: SEED_BINARY.map((name) => ({ name, source: name, impute: 'mode' as const })),
  };
}

/** Name of the default spec. */
export const DEFAULT_SPEC_NAME = 'honest-v1';

/** Built-in templates by name. */
export const SPEC_TEMPLATES: Readonly<Record<string, () => FeatureSpec>> = {
  'honest-v1': honestV1Template,
  'seed-part-a': seedPartATemplate,
};
