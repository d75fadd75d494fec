import { describe, expect, it } from 'vitest';
import {
  EXPECTED_FIELDS,
  INTERNAL_ERROR_RULE_ID,
  RULES,
  WARNING_PENALTY,
  qualityScore,
  validateSurvey,
  type Rule,
} from '../../../src/validate/index.js';
import { validRecord } from './fixtures.js';

describe('validateSurvey', () => {
  it('accepts a complete record with a perfect score', () => {
    expect(validateSurvey(validRecord())).toEqual({ valid: true, hits: [], qualityScore: 1 });
  });

  it('fires only the required rules on an empty record', () => {
    const result = validateSurvey({});
    expect(result.valid).toBe(false);
    expect(result.hits.map((h) => h.ruleId)).toEqual([
      'required.District',
      'required.HouseHoldID',
      'required.HouseholdSize',
    ]);
    expect(result.qualityScore).toBe(0);
  });

  it('accepts an unlabelled survey (no target and no daily columns)', () => {
    const values = validRecord({
      'HHIncome+Consumption+Residues/Day': null,
      'HHIncome/Day': null,
      'Consumption/Day': null,
    });
    const result = validateSurvey(values);
    expect(result.valid).toBe(true);
  });

  it('reports a throwing rule as rule.internal_error and keeps validating', () => {
    const boom: Rule = {
      id: 'test.boom',
      severity: 'warning',
      kind: 'logic',
      fields: ['HouseholdSize'],
      description: 'throws',
      check: () => {
        throw new Error('kaput');
      },
    };
    const result = validateSurvey(validRecord({ District: 'Rubirizi' }), [boom, ...RULES]);
    expect(result.valid).toBe(false);
    expect(result.hits.map((h) => [h.ruleId, h.severity])).toEqual([
      [INTERNAL_ERROR_RULE_ID, 'error'],
      ['enum.District', 'error'],
    ]);
    expect(result.hits[0]?.message).toContain('test.boom');
    expect(result.hits[0]?.message).toContain('kaput');
  });

  it('does not run a rule whose fields are all blank', () => {
    let calls = 0;
    const spy: Rule = {
      id: 'test.spy',
      severity: 'warning',
      kind: 'logic',
      fields: ['TimeToWater', 'composts'],
      description: 'counts calls',
      check: () => {
        calls += 1;
        return null;
      },
    };
    validateSurvey(validRecord({ TimeToWater: null, composts: '' }), [spy]);
    expect(calls).toBe(0);
    validateSurvey(validRecord({ TimeToWater: null }), [spy]);
    expect(calls).toBe(1);
  });

  it('reads alias column names (Season2VegetableIncome)', () => {
    const values = validRecord();
    delete values['Season2VegatableIncome'];
    values['Season2VegetableIncome'] = 5;
    expect(validateSurvey(values).hits).toEqual([]);
  });

  it('keeps warnings on a valid record and lowers its score', () => {
    const result = validateSurvey(validRecord({ HouseholdSize: 27 }));
    expect(result.valid).toBe(true);
    expect(result.hits.map((h) => [h.ruleId, h.severity])).toEqual([
      ['outlier.HouseholdSize', 'warning'],
    ]);
    expect(result.qualityScore).toBeCloseTo(WARNING_PENALTY, 12);
  });
});

describe('qualityScore', () => {
  const n = EXPECTED_FIELDS.length;

  it('is completeness × 0.9^warnings', () => {
    const values = validRecord({ TimeToWater: null, composts: null });
    const warn = { ruleId: 'x', severity: 'warning' as const, fields: [], message: '' };
    expect(qualityScore(values, [])).toBeCloseTo((n - 2) / n, 12);
    expect(qualityScore(values, [warn, warn])).toBeCloseTo(((n - 2) / n) * 0.81, 12);
  });

  it('is 0 with any error', () => {
    const err = { ruleId: 'x', severity: 'error' as const, fields: [], message: '' };
    expect(qualityScore(validRecord(), [err])).toBe(0);
  });

  it('ignores sparse fields and the target, and counts phones -99 as blank', () => {
    const sparse = validRecord({
      Loan_from: null,
      organic_pesticide_expenditure: null,
      'HHIncome+Consumption+Residues/Day': null,
    });
    expect(qualityScore(sparse, [])).toBe(1);
    const result = validateSurvey(validRecord({ phones_owned: -99 }));
    expect(result.hits.map((h) => h.ruleId)).toEqual(['sentinel.phones_owned']);
    expect(result.qualityScore).toBeCloseTo(((n - 1) / n) * WARNING_PENALTY, 12);
  });
});
