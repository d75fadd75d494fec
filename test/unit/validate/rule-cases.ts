/**
 * One passing and one failing record per rule id. Per-field cases (type, range, enum) are derived
 * from each field's kind and limits; multi-field rules are listed by hand.
 */
import {
  SURVEY_FIELDS,
  TARGET_COLUMN,
  type FieldDef,
  type SurveyValues,
} from '../../../src/domain/fields.js';
import { ENUMS, rangeFor } from '../../../src/validate/index.js';

/** A rule test: `pass` and `fail` are overrides applied to the valid fixture record. */
export interface RuleCase {
  readonly id: string;
  readonly pass: SurveyValues;
  readonly fail: SurveyValues;
}

const T = TARGET_COLUMN;
const ASSETS_DAY = 'HHIncome+Consumption+Assets+Residues/Day';

function enumValues(column: string): readonly (string | number)[] {
  return ENUMS.find((e) => e.column === column)?.values ?? [];
}

function validValue(f: FieldDef): string | number {
  const allowed = enumValues(f.column);
  if (allowed.length > 0) return allowed[allowed.length - 1]!;
  if (f.kind === 'text') return 'some text';
  return rangeFor(f).min;
}

const WRONG_TYPE: Readonly<Record<FieldDef['kind'], string | number>> = {
  float: 'abc',
  int: 2.5,
  code: 0.5,
  text: 12,
};

function typeCase(f: FieldDef): RuleCase {
  return {
    id: `type.${f.column}`,
    pass: { [f.column]: validValue(f) },
    fail: { [f.column]: WRONG_TYPE[f.kind] },
  };
}

function rangeCase(f: FieldDef): RuleCase {
  const { min, max } = rangeFor(f);
  return {
    id: `range.${f.column}`,
    pass: { [f.column]: max },
    fail: { [f.column]: min < 0 ? max + 1 : min - 1 },
  };
}

function enumCase(column: string): RuleCase {
  const allowed = enumValues(column);
  const bad = typeof allowed[0] === 'string' ? 'Rubirizi' : 3;
  return { id: `enum.${column}`, pass: { [column]: allowed[0]! }, fail: { [column]: bad } };
}

const numeric = SURVEY_FIELDS.filter((f) => f.kind === 'float' || f.kind === 'int');

/** Derived from the field table. */
export const FIELD_CASES: readonly RuleCase[] = [
  ...SURVEY_FIELDS.filter((f) => f.required).map((f) => ({
    id: `required.${f.column}`,
    pass: {},
    fail: { [f.column]: null },
  })),
  ...SURVEY_FIELDS.map(typeCase),
  ...numeric.map(rangeCase),
  ...ENUMS.map((e) => enumCase(e.column)),
];

const sumCase = (total: string, broken: number): RuleCase => ({
  id: `cross.${total}.sum`,
  pass: {},
  fail: { [total]: broken },
});

const dailyCase = (annual: string, broken: number): RuleCase => ({
  id: `cross.${annual}.daily`,
  pass: {},
  fail: { [annual]: broken },
});

/** Multi-field, logic and outlier rules. */
export const RELATION_CASES: readonly RuleCase[] = [
  {
    id: 'cross.crops_without_land',
    pass: { AgricultureLand: 0, Season1CropsPlanted: 0, Season2CropsPlanted: 0 },
    fail: { AgricultureLand: 0, Season1CropsPlanted: 0, Season2CropsPlanted: 1 },
  },
  sumCase('VegetableIncome', 40),
  sumCase('SeasonalVegetableValue', 50),
  sumCase('SeasonalCropIncome', 130),
  sumCase('SeasonalAgricValue', 300),
  sumCase('AgricValue', 400),
  dailyCase('HouseholdIcome', 600),
  dailyCase('Consumption+Residues', 200),
  dailyCase('HHIncome+Consumption+Residues', 900),
  dailyCase('HHIncome+Consumption+Assets+Residues', 900),
  { id: 'cross.target.components', pass: { [T]: 2.205 }, fail: { [T]: 2.5 } },
  {
    id: 'cross.assets_total.below_target',
    pass: { [ASSETS_DAY]: 2.2, 'HHIncome+Consumption+Assets+Residues': 803 },
    fail: { [ASSETS_DAY]: 2.0, 'HHIncome+Consumption+Assets+Residues': 730 },
  },
  {
    id: 'logic.perennial_cropping',
    pass: { perennial_cropping: 0, PerennialCropsGrown: 0, PerenialCropIncome: 0 },
    fail: { perennial_cropping: 0 },
  },
  {
    id: 'logic.Season1CropIncome.no_crops',
    pass: { Season1CropIncome: 0 },
    fail: { Season1CropsPlanted: 0 },
  },
  {
    id: 'logic.Season2CropIncome.no_crops',
    pass: { Season2CropIncome: 0 },
    fail: { Season2CropsPlanted: 0 },
  },
  {
    id: 'logic.PerenialCropIncome.no_crops',
    pass: { PerenialCropIncome: 0 },
    fail: { PerennialCropsGrown: 0 },
  },
  {
    id: 'logic.FormalEmployment.not_salaried',
    pass: { work_salaried: 1 },
    fail: { FormalEmployment: 900 },
  },
  {
    id: 'logic.CasualLabour.not_casual',
    pass: { CasualLabour: 0, work_casual: 0 },
    fail: { work_casual: 0 },
  },
  {
    id: 'logic.PersonalBusinessAndSelfEmployment.no_business',
    pass: { PersonalBusinessAndSelfEmployment: 0, business_number: 0 },
    fail: { business_number: 0 },
  },
  { id: 'sentinel.phones_owned', pass: { phones_owned: 0 }, fail: { phones_owned: -99 } },
  { id: 'outlier.HouseholdSize', pass: { HouseholdSize: 20 }, fail: { HouseholdSize: 27 } },
  { id: 'outlier.AgricultureLand', pass: { AgricultureLand: 50 }, fail: { AgricultureLand: 90 } },
  { id: 'outlier.TimeToOPD', pass: { TimeToOPD: 300 }, fail: { TimeToOPD: 420 } },
  { id: 'outlier.TimeToWater', pass: { TimeToWater: 300 }, fail: { TimeToWater: 301 } },
  {
    id: `outlier.${T}`,
    pass: { [T]: 20, [ASSETS_DAY]: 20.55 },
    fail: { [T]: 21, [ASSETS_DAY]: 21.55 },
  },
];

/** Every case, by rule id. */
export const RULE_CASES: readonly RuleCase[] = [...FIELD_CASES, ...RELATION_CASES];
