import { describe, expect, it } from 'vitest';
import type { SurveyValues } from '../../../src/domain/fields.js';
import {
  featureNames,
  featurize,
  featurizeBatch,
  fitSpec,
  honestV1Template,
  parseFeatureSpec,
  SpecNotFittedError,
  type FeatureSpec,
} from '../../../src/featurize/index.js';
import { syntheticSurveys } from './synthetic-surveys.js';

const rows = syntheticSurveys(400, 7).map((s) => s.values);

function tinyTemplate(overrides: Partial<FeatureSpec> = {}): FeatureSpec {
  return {
    name: 'tiny',
    version: '1',
    leaking: false,
    description: 'test',
    standardize: false,
    derived: [
      {
        id: 'size_cat',
        op: 'bins',
        input: 'HouseholdSize',
        edges: [3, 5, 7],
        labels: ['S', 'M', 'L', 'XL'],
      },
      {
        id: 'assets',
        op: 'sum',
        inputs: ['radios_owned', 'phones_owned'],
        missing: 'propagate',
        missingCodes: [-99],
      },
      {
        id: 'per_head',
        op: 'ratio',
        numerator: 'Assets',
        denominator: 'HouseholdSize',
        zeroDenominatorAs: 1,
      },
    ],
    numeric: [
      { name: 'water', source: 'TimeToWater', impute: 'median' },
      { name: 'assets', source: 'assets', impute: 'median' },
      { name: 'per_head', source: 'per_head', impute: 'zero' },
    ],
    categorical: [
      { name: 'District', source: 'District', categories: [], unknown: 'ignore' },
      { name: 'size_cat', source: 'size_cat', categories: ['S', 'M', 'L', 'XL'], unknown: 'other' },
    ],
    binary: [{ name: 'fert', source: 'household_fertilizer', impute: 'mode' }],
    ...overrides,
  };
}

describe('featurize', () => {
  it('computes the derived features of the default spec', () => {
    const spec = fitSpec({ ...honestV1Template(), standardize: false }, rows);
    const names = featureNames(spec);
    const values: SurveyValues = {
      HouseholdSize: 4,
      FormalEmployment: 300,
      CasualLabour: 100,
      LivestockIncome: 0,
      latrine_constructed: 1,
      tippy_tap_available: 1,
      soap_ash_available: 0,
      bathroom_constructed: 1,
      kitchen_house: null,
      radios_owned: 1,
      phones_owned: 2,
    };
    const x = featurize(spec, values);
    const at = (n: string): number => x[names.indexOf(n)]!;
    expect(at('income_per_capita')).toBeCloseTo(Math.log1p(100), 5);
    expect(at('infrastructure_score')).toBe(3);
    expect(at('livelihood_diversity')).toBe(2);
    expect(at('asset_ownership_score')).toBe(3);
    expect(at('household_size_category=Medium')).toBe(1);
    expect(at('household_size_category=Small')).toBe(0);
  });

  it('bins household size into Small 1–3, Medium 4–5, Large 6–7, Very Large ≥ 8', () => {
    const spec = fitSpec(honestV1Template(), rows);
    const names = featureNames(spec);
    const cat = (size: number): string => {
      const x = featurize(spec, { HouseholdSize: size });
      return names.find((n, i) => n.startsWith('household_size_category=') && x[i] === 1)!;
    };
    expect([1, 3, 4, 5, 6, 7, 8, 27].map(cat).map((n) => n.split('=')[1])).toEqual([
      'Small',
      'Small',
      'Medium',
      'Medium',
      'Large',
      'Large',
      'Very Large',
      'Very Large',
    ]);
  });

  it('treats -99 phones as missing and imputes the training median', () => {
    const spec = fitSpec(tinyTemplate(), rows);
    const fill = spec.numeric.find((f) => f.name === 'assets')!.fill!;
    const x = featurize(spec, { radios_owned: 1, phones_owned: -99, District: 'Kanungu' });
    expect(x[1]).toBe(Math.fround(fill));
  });

  it('imputes missing numeric values with the median of the training rows only', () => {
    const train: SurveyValues[] = [
      { TimeToWater: 10 },
      { TimeToWater: 20 },
      { TimeToWater: 40 },
      { TimeToWater: null },
    ];
    const spec = fitSpec(tinyTemplate(), train);
    expect(spec.numeric[0]!.fill).toBe(20);
    expect(featurize(spec, { TimeToWater: null })[0]).toBe(20);
    expect(featurize(spec, { TimeToWater: 'n/a' })[0]).toBe(20);
    expect(featurize(spec, { TimeToWater: '15' })[0]).toBe(15);
  });

  it('maps unknown and missing categories to zeros (ignore) or the other column (other)', () => {
    const spec = fitSpec(tinyTemplate(), rows);
    const names = featureNames(spec);
    expect(names).toContain('size_cat=__other__');
    const district = (v: SurveyValues): number[] =>
      names.flatMap((n, i) => (n.startsWith('District=') ? [featurize(spec, v)[i]!] : []));
    expect(district({ District: 'Kanungu' })).toEqual([1, 0, 0, 0]);
    expect(district({ District: 'Rubirizi' })).toEqual([0, 0, 0, 0]);
    expect(district({ District: null })).toEqual([0, 0, 0, 0]);
    const x = featurize(spec, { HouseholdSize: null });
    expect(x[names.indexOf('size_cat=__other__')]).toBe(1);
  });

  it('learns sorted categories and binary modes from training rows', () => {
    const spec = fitSpec(tinyTemplate(), rows);
    expect(spec.categorical[0]!.categories).toEqual(['Kanungu', 'Mitooma', 'Rubanda', 'Rukungiri']);
    expect(spec.binary[0]!.fill).toBe(0);
    expect(spec.fittedRows).toBe(rows.length);
  });

  it('never emits NaN, even for an empty survey', () => {
    const spec = fitSpec(honestV1Template(), rows);
    const x = featurize(spec, {});
    expect(x.length).toBe(featureNames(spec).length);
    expect(x.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('reads accepted aliases of a column', () => {
    const spec = fitSpec(
      tinyTemplate({
        derived: [],
        numeric: [{ name: 'veg2', source: 'Season2VegatableIncome', impute: 'zero' }],
        categorical: [],
        binary: [],
      }),
      rows,
    );
    expect(featurize(spec, { Season2VegetableIncome: 12.5 })[0]).toBe(12.5);
  });

  it('standardises numeric features with training statistics', () => {
    const spec = fitSpec(honestV1Template(), rows);
    const m = featurizeBatch(spec, rows);
    const c = featureNames(spec).indexOf('HouseholdSize');
    let mean = 0;
    for (let r = 0; r < m.rows; r++) mean += m.data[r * m.cols + c]!;
    expect(mean / m.rows).toBeCloseTo(0, 4);
  });

  it('produces the same row from featurize and featurizeBatch', () => {
    const spec = fitSpec(honestV1Template(), rows);
    const m = featurizeBatch(spec, rows.slice(0, 5));
    expect(Array.from(m.data.subarray(3 * m.cols, 4 * m.cols))).toEqual(
      Array.from(featurize(spec, rows[3]!)),
    );
  });

  it('throws SpecNotFittedError for an unfitted median feature', () => {
    expect(() => featurize(honestV1Template(), rows[0]!)).toThrow(SpecNotFittedError);
  });

  it('round-trips a fitted spec through JSON with identical output', () => {
    const spec = fitSpec(honestV1Template(), rows);
    const back = parseFeatureSpec(JSON.parse(JSON.stringify(spec)));
    expect(back).toEqual(spec);
    expect(featurizeBatch(back, rows).data).toEqual(featurizeBatch(spec, rows).data);
  });

  it('rejects specs with unknown sources, duplicate names or bad bins', () => {
    const t = tinyTemplate();
    expect(() =>
      parseFeatureSpec({ ...t, numeric: [{ name: 'x', source: 'NoSuchColumn', impute: 'zero' }] }),
    ).toThrow(/unknown source/);
    expect(() =>
      parseFeatureSpec({
        ...t,
        binary: [{ name: 'water', source: 'work_casual', impute: 'zero' }],
      }),
    ).toThrow(/not unique/);
    expect(() =>
      parseFeatureSpec({
        ...t,
        derived: [{ id: 'b', op: 'bins', input: 'HouseholdSize', edges: [3], labels: ['a'] }],
      }),
    ).toThrow(/labels.length/);
  });

  it('does not modify the template', () => {
    const t = honestV1Template();
    const copy = structuredClone(t);
    fitSpec(t, rows);
    expect(t).toEqual(copy);
  });
});
