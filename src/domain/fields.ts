/**
 * The survey's fields: one row per column of `shared/domain/dictionary.csv`, in dictionary order.
 *
 * `column` is the name users see (CSV headers, ClickHouse columns, JSON), spelled exactly as in the real
 * survey export, typos included (`Season2VegatableIncome`, `HouseholdIcome`, `PerenialCropIncome`).
 * `proto` is the snake_case field name in `proto/surveystream/v1/survey.proto`; `aliases` are other
 * spellings accepted on input (the dictionary's own spelling where it differs from the export).
 *
 * This table is the single source of truth for the mapping; `docs/fields.md` is generated from it.
 */

/** Value kinds. `float` and `int` are numbers, `code` is a small integer code, `text` a string. */
export const FieldKind = { float: 'float', int: 'int', code: 'code', text: 'text' } as const;
export type FieldKind = (typeof FieldKind)[keyof typeof FieldKind];

/** How a personal field is protected before it leaves the worker (see src/protect). */
export const PiiMode = { hash: 'hash', encrypt: 'encrypt' } as const;
export type PiiMode = (typeof PiiMode)[keyof typeof PiiMode];

export interface FieldDef {
  /** Original column name (user-facing). */
  readonly column: string;
  /** Proto field name (snake_case). */
  readonly proto: string;
  readonly kind: FieldKind;
  /** The survey cannot be processed without it. */
  readonly required: boolean;
  /** Unit, for documentation. */
  readonly unit?: string;
  /** Personal data: keyed hash (join key) and encrypted copy. */
  readonly pii?: PiiMode;
  /** Other accepted input spellings. */
  readonly aliases?: readonly string[];
}

const f = (
  column: string,
  proto: string,
  kind: FieldKind,
  extra: Partial<Pick<FieldDef, 'required' | 'unit' | 'pii' | 'aliases'>> = {},
): FieldDef => ({ column, proto, kind, required: extra.required ?? false, ...extra });

export const SURVEY_FIELDS: readonly FieldDef[] = [
  f('District', 'district', 'text', { required: true }),
  f('Cluster', 'cluster', 'text', { pii: 'hash' }),
  f('Village', 'village', 'text', { pii: 'hash' }),
  f('HouseHoldID', 'household_id', 'text', { required: true, pii: 'hash' }),
  f('HouseholdSize', 'household_size', 'int', { required: true, unit: 'persons' }),
  f('TimeToOPD', 'time_to_opd', 'float', { unit: 'minutes' }),
  f('TimeToWater', 'time_to_water', 'float', { unit: 'minutes' }),
  f('AgricultureLand', 'agriculture_land', 'float', { unit: 'acres' }),
  f('Season1CropsPlanted', 'season1_crops_planted', 'int', { unit: 'count' }),
  f('Season2CropsPlanted', 'season2_crops_planted', 'int', { unit: 'count' }),
  f('PerennialCropsGrown', 'perennial_crops_grown', 'int', { unit: 'count' }),
  f('VSLA_Profits', 'vsla_profits', 'float', { unit: 'USD/year' }),
  f('Season1VegetableIncome', 'season1_vegetable_income', 'float', { unit: 'USD/year' }),
  f('Season2VegatableIncome', 'season2_vegetable_income', 'float', {
    unit: 'USD/year',
    aliases: ['Season2VegetableIncome'],
  }),
  f('VegetableIncome', 'vegetable_income', 'float', { unit: 'USD/year' }),
  f('Season1VegetableValue', 'season1_vegetable_value', 'float', { unit: 'USD/year' }),
  f('Season2VegetableValue', 'season2_vegetable_value', 'float', { unit: 'USD/year' }),
  f('SeasonalVegetableValue', 'seasonal_vegetable_value', 'float', { unit: 'USD/year' }),
  f('FormalEmployment', 'formal_employment', 'float', { unit: 'USD/year' }),
  f('PersonalBusinessAndSelfEmployment', 'personal_business_and_self_employment', 'float', {
    unit: 'USD/year',
  }),
  f('CasualLabour', 'casual_labour', 'float', { unit: 'USD/year' }),
  f('RemittancesAndGifts', 'remittances_and_gifts', 'float', { unit: 'USD/year' }),
  f('RentIncome', 'rent_income', 'float', { unit: 'USD/year' }),
  f('Season1CropIncome', 'season1_crop_income', 'float', { unit: 'USD/year' }),
  f('Season2CropIncome', 'season2_crop_income', 'float', { unit: 'USD/year' }),
  f('SeasonalCropIncome', 'seasonal_crop_income', 'float', { unit: 'USD/year' }),
  f('PerenialCropIncome', 'perennial_crop_income', 'float', {
    unit: 'USD/year',
    aliases: ['PerennialCropIncome'],
  }),
  f('LivestockIncome', 'livestock_income', 'float', { unit: 'USD/year' }),
  f('Season1AgricValue', 'season1_agric_value', 'float', { unit: 'USD/year' }),
  f('Season2AgricValue', 'season2_agric_value', 'float', { unit: 'USD/year' }),
  f('SeasonalAgricValue', 'seasonal_agric_value', 'float', { unit: 'USD/year' }),
  f('PerennialAgricValue', 'perennial_agric_value', 'float', { unit: 'USD/year' }),
  f('AgricValue', 'agric_value', 'float', { unit: 'USD/year' }),
  f('LivestockIncomeConsumed', 'livestock_income_consumed', 'float', { unit: 'USD/year' }),
  f('LivestockAssetValue', 'livestock_asset_value', 'float', { unit: 'USD' }),
  f('HouseholdIcome', 'household_income', 'float', {
    unit: 'USD/year',
    aliases: ['HouseholdIncome'],
  }),
  f('Consumption+Residues', 'consumption_residues', 'float', { unit: 'USD/year' }),
  f('HHIncome+Consumption+Residues', 'hh_income_consumption_residues', 'float', {
    unit: 'USD/year',
  }),
  f('HHIncome+Consumption+Assets+Residues', 'hh_income_consumption_assets_residues', 'float', {
    unit: 'USD/year',
  }),
  f('Assets', 'assets', 'float', { unit: 'USD' }),
  f('HHIncome/Day', 'hh_income_per_day', 'float', { unit: 'USD/day' }),
  f('Consumption/Day', 'consumption_per_day', 'float', { unit: 'USD/day' }),
  f('HHIncome+Consumption+Residues/Day', 'hh_income_consumption_residues_per_day', 'float', {
    unit: 'USD/day',
  }),
  f('HHIncome+Consumption+Assets+Residues/Day', 'hh_income_consumption_assets_residues_per_day', 'float', {
    unit: 'USD/day',
  }),
  f('hhh_sex', 'hhh_sex', 'code'),
  f('hhh_read_write', 'hhh_read_write', 'code'),
  f('Material_walls', 'material_walls', 'code'),
  f('radios_owned', 'radios_owned', 'int', { unit: 'count' }),
  f('phones_owned', 'phones_owned', 'int', { unit: 'count (-99 = missing)' }),
  f('business_number', 'business_number', 'int', { unit: 'count' }),
  f('work_casual', 'work_casual', 'code'),
  f('work_salaried', 'work_salaried', 'code'),
  f('save_mode_7', 'save_mode_7', 'code'),
  f('Loan_from', 'loan_from', 'text'),
  f('perennial_cropping', 'perennial_cropping', 'code'),
  f('household_fertilizer', 'household_fertilizer', 'code'),
  f('daily_meals', 'daily_meals', 'int', { unit: 'meals/day' }),
  f('latrine_constructed', 'latrine_constructed', 'code'),
  f('tippy_tap_available', 'tippy_tap_available', 'code'),
  f('soap_ash_available', 'soap_ash_available', 'code'),
  f('standard_hangline', 'standard_hangline', 'code'),
  f('kitchen_house', 'kitchen_house', 'code'),
  f('bathroom_constructed', 'bathroom_constructed', 'code'),
  f('swept_compound', 'swept_compound', 'code'),
  f('dish_rack_present', 'dish_rack_present', 'code'),
  f('composts', 'composts', 'code'),
  f('non_bio_waste_mgt_present', 'non_bio_waste_mgt_present', 'code'),
  f('apply_liquid_manure', 'apply_liquid_manure', 'code'),
  f('organic_pesticide_expenditure', 'organic_pesticide_expenditure', 'float', { unit: 'USD/year' }),
  f('water_control_practise', 'water_control_practise', 'code'),
  f('soil_management', 'soil_management', 'code'),
  f('food_banana_wilt_diseases', 'food_banana_wilt_diseases', 'text'),
  f('postharvest_food_storage', 'postharvest_food_storage', 'code'),
];

/** The daily target the labels come from (SEED_SPEC section 2). */
export const TARGET_COLUMN = 'HHIncome+Consumption+Residues/Day';

/** The four real districts (SEED_SPEC section 1.1, 9). */
export const DISTRICTS = ['Kanungu', 'Mitooma', 'Rubanda', 'Rukungiri'] as const;
export type District = (typeof DISTRICTS)[number];

/** A survey keyed by original column names; a blank is `null`. */
export type SurveyValues = Record<string, number | string | null>;

/** Converts a snake_case proto name to the camelCase property ts-proto generates. */
export function protoToCamel(proto: string): string {
  return proto.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

export const FIELD_BY_COLUMN: ReadonlyMap<string, FieldDef> = new Map(
  SURVEY_FIELDS.flatMap((d) => [d.column, ...(d.aliases ?? [])].map((n) => [n, d] as const)),
);
