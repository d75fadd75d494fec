/**
 * Rules over several fields: accounting identities (cross_field), survey logic, statistical outliers
 * and the phones sentinel. All are warnings: the record is kept with a lower quality score.
 */
import { TARGET_COLUMN, type SurveyValues } from '../domain/fields.js';
import { OUTLIERS, PHONES_SENTINEL } from './tables.js';
import type { Rule } from './types.js';
import { num, nums } from './values.js';

const warning = (
  id: string,
  kind: Rule['kind'],
  fields: string[],
  description: string,
  check: (v: SurveyValues) => string | null,
): Rule => ({ id, severity: 'warning', kind, fields, description, check });

/** |a − b| beyond max(floor, share × |b|). */
const differs = (a: number, b: number, floor: number, share: number): boolean =>
  Math.abs(a - b) > Math.max(floor, share * Math.abs(b));

function sumRule(total: string, parts: readonly [string, string]): Rule {
  return warning(
    `cross.${total}.sum`,
    'cross_field',
    [total, ...parts],
    `${total} ≈ ${parts.join(' + ')} (tolerance max(1 USD, 1 %))`,
    (v) => {
      const xs = nums(v, [total, ...parts]);
      if (!xs) return null;
      const [t = 0, a = 0, b = 0] = xs;
      return differs(t, a + b, 1, 0.01)
        ? `${total} = ${t} but ${parts.join(' + ')} = ${a + b}`
        : null;
    },
  );
}

function dailyRule(annual: string, daily: string): Rule {
  return warning(
    `cross.${annual}.daily`,
    'cross_field',
    [annual, daily],
    `${annual} ≈ 365 × ${daily} (tolerance max(1 USD, 1 %))`,
    (v) => {
      const xs = nums(v, [annual, daily]);
      if (!xs) return null;
      const [a = 0, d = 0] = xs;
      return differs(a, 365 * d, 1, 0.01)
        ? `${annual} = ${a} but 365 × ${daily} = ${365 * d}`
        : null;
    },
  );
}

const TARGET_PARTS = ['HHIncome/Day', 'Consumption/Day'] as const;
const ASSETS_DAILY = 'HHIncome+Consumption+Assets+Residues/Day';

/** Accounting identities (SEED_SPEC §1.1) and crops-without-land. */
export function crossFieldRules(): Rule[] {
  return [
    warning(
      'cross.crops_without_land',
      'cross_field',
      ['AgricultureLand', 'Season1CropsPlanted', 'Season2CropsPlanted'],
      'crops planted in season 1 or 2 but AgricultureLand = 0',
      (v) => {
        const land = num(v['AgricultureLand']);
        const crops = (num(v['Season1CropsPlanted']) ?? 0) + (num(v['Season2CropsPlanted']) ?? 0);
        return land === 0 && crops > 0 ? `${crops} crop types planted on 0 acres` : null;
      },
    ),
    sumRule('VegetableIncome', ['Season1VegetableIncome', 'Season2VegatableIncome']),
    sumRule('SeasonalVegetableValue', ['Season1VegetableValue', 'Season2VegetableValue']),
    sumRule('SeasonalCropIncome', ['Season1CropIncome', 'Season2CropIncome']),
    sumRule('SeasonalAgricValue', ['Season1AgricValue', 'Season2AgricValue']),
    sumRule('AgricValue', ['SeasonalAgricValue', 'PerennialAgricValue']),
    dailyRule('HouseholdIcome', 'HHIncome/Day'),
    dailyRule('Consumption+Residues', 'Consumption/Day'),
    dailyRule('HHIncome+Consumption+Residues', TARGET_COLUMN),
    dailyRule('HHIncome+Consumption+Assets+Residues', ASSETS_DAILY),
    warning(
      'cross.target.components',
      'cross_field',
      [TARGET_COLUMN, ...TARGET_PARTS],
      `${TARGET_COLUMN} ≈ HHIncome/Day + Consumption/Day (tolerance max(0.01, 1 %))`,
      (v) => {
        const xs = nums(v, [TARGET_COLUMN, ...TARGET_PARTS]);
        if (!xs) return null;
        const [t = 0, i = 0, c = 0] = xs;
        return differs(t, i + c, 0.01, 0.01)
          ? `target = ${t} but income + consumption = ${i + c}`
          : null;
      },
    ),
    warning(
      'cross.assets_total.below_target',
      'cross_field',
      [ASSETS_DAILY, TARGET_COLUMN],
      `${ASSETS_DAILY} must not be below ${TARGET_COLUMN} (assets are ≥ 0)`,
      (v) => {
        const xs = nums(v, [ASSETS_DAILY, TARGET_COLUMN]);
        if (!xs) return null;
        const [withAssets = 0, t = 0] = xs;
        return withAssets < t - 0.01 ? `total with assets ${withAssets} < target ${t}` : null;
      },
    ),
  ];
}

/** "amount > 0 but the matching flag/count says none". */
function impliesRule(id: string, amount: string, flag: string, what: string): Rule {
  return warning(id, 'logic', [amount, flag], `${amount} > 0 but ${flag} = 0 (${what})`, (v) => {
    const a = num(v[amount]);
    const f = num(v[flag]);
    return a !== null && f === 0 && a > 0 ? `${amount} = ${a} with ${flag} = 0` : null;
  });
}

/** Survey-logic rules and the phones sentinel. */
export function logicRules(): Rule[] {
  return [
    impliesRule(
      'logic.perennial_cropping',
      'PerennialCropsGrown',
      'perennial_cropping',
      'skip logic',
    ),
    impliesRule(
      'logic.Season1CropIncome.no_crops',
      'Season1CropIncome',
      'Season1CropsPlanted',
      'sales without crops',
    ),
    impliesRule(
      'logic.Season2CropIncome.no_crops',
      'Season2CropIncome',
      'Season2CropsPlanted',
      'sales without crops',
    ),
    impliesRule(
      'logic.PerenialCropIncome.no_crops',
      'PerenialCropIncome',
      'PerennialCropsGrown',
      'sales without crops',
    ),
    impliesRule(
      'logic.FormalEmployment.not_salaried',
      'FormalEmployment',
      'work_salaried',
      'wage without salaried work',
    ),
    impliesRule(
      'logic.CasualLabour.not_casual',
      'CasualLabour',
      'work_casual',
      'wage without casual work',
    ),
    impliesRule(
      'logic.PersonalBusinessAndSelfEmployment.no_business',
      'PersonalBusinessAndSelfEmployment',
      'business_number',
      'business income without a business',
    ),
    warning(
      'sentinel.phones_owned',
      'logic',
      ['phones_owned'],
      `phones_owned = ${PHONES_SENTINEL} is the survey's missing code (normalised to null)`,
      (v) =>
        v['phones_owned'] === PHONES_SENTINEL ? 'phones_owned uses the missing code -99' : null,
    ),
  ];
}

/** `outlier.<column>`: plausible but rare values. */
export function outlierRules(): Rule[] {
  return OUTLIERS.map(({ column, above, why }) =>
    warning(`outlier.${column}`, 'outlier', [column], `${column} > ${above} (${why})`, (v) => {
      const x = num(v[column]);
      return x !== null && x > above ? `${column} = ${x} is above ${above}` : null;
    }),
  );
}
