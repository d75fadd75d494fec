import { describe, expect, it } from 'vitest';
import { TARGET_COLUMN } from '../../../src/domain/fields.js';
import {
  assertNoLeakage,
  featureNames,
  fitSpec,
  honestV1Template,
  LeakageError,
  LEAKING_COLUMNS,
  leakingColumnsOf,
  parseFeatureSpec,
  seedPartATemplate,
  sourceColumns,
  SPEC_TEMPLATES,
  DEFAULT_SPEC_NAME,
} from '../../../src/featurize/index.js';
import { syntheticSurveys } from './synthetic-surveys.js';

const rows = syntheticSurveys(300, 3).map((s) => s.values);

describe('feature spec templates', () => {
  it('lists every target component as leaking', () => {
    for (const c of [
      TARGET_COLUMN,
      'HouseholdIcome',
      'Consumption+Residues',
      'HHIncome+Consumption+Residues',
      'HHIncome+Consumption+Assets+Residues',
      'AgricValue',
      'SeasonalAgricValue',
      'PerennialAgricValue',
      'Season1AgricValue',
      'SeasonalVegetableValue',
      'HHIncome/Day',
      'Consumption/Day',
      'HHIncome+Consumption+Assets+Residues/Day',
    ]) {
      expect(LEAKING_COLUMNS).toContain(c);
    }
  });

  it('default spec reads none of the leaking columns, directly or through derived features', () => {
    const spec = SPEC_TEMPLATES[DEFAULT_SPEC_NAME]!();
    expect(spec.name).toBe('honest-v1');
    expect(spec.leaking).toBe(false);
    const read = sourceColumns(spec);
    for (const c of LEAKING_COLUMNS) expect(read).not.toContain(c);
    expect(read.some((c) => c.includes('/Day') || c.endsWith('Value'))).toBe(false);
    expect(leakingColumnsOf(spec)).toEqual([]);
    expect(() => assertNoLeakage(spec)).not.toThrow();
  });

  it('default spec has 35–45 model columns and validates', () => {
    const spec = fitSpec(honestV1Template(), rows);
    const n = featureNames(spec).length;
    expect(n).toBeGreaterThanOrEqual(35);
    expect(n).toBeLessThanOrEqual(45);
    expect(() => parseFeatureSpec(spec)).not.toThrow();
  });

  it('seed-part-a reproduces the seed inputs and is labelled leaking', () => {
    const t = seedPartATemplate();
    expect(t.leaking).toBe(true);
    expect(leakingColumnsOf(t).sort()).toEqual(['AgricValue', 'HouseholdIcome']);
    const spec = fitSpec(t, rows);
    expect(spec.numeric).toHaveLength(25);
    expect(spec.binary).toHaveLength(20);
    expect(spec.categorical.map((c) => c.name)).toEqual([
      'District',
      'hhh_sex',
      'hhh_read_write',
      'Material_walls',
      'household_size_category',
    ]);
  });

  it('assertNoLeakage rejects a non-leaking spec that reads a target component', () => {
    const t = honestV1Template();
    const bad = {
      ...t,
      derived: [
        ...t.derived,
        { id: 'x', op: 'sum' as const, inputs: ['HouseholdIcome'], missing: 'skip' as const },
      ],
      numeric: [...t.numeric, { name: 'x', source: 'x', impute: 'zero' as const }],
    };
    expect(() => assertNoLeakage(bad)).toThrow(LeakageError);
    expect(() => assertNoLeakage(seedPartATemplate())).not.toThrow();
  });
});
