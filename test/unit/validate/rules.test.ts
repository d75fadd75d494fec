import { describe, expect, it } from 'vitest';
import { SURVEY_FIELDS, type SurveyValues } from '../../../src/domain/fields.js';
import { RULES, rangeFor, validateSurvey, type Rule } from '../../../src/validate/index.js';
import { validRecord } from './fixtures.js';
import { RULE_CASES } from './rule-cases.js';

const ruleIdsOf = (values: Parameters<typeof validateSurvey>[0]): string[] =>
  validateSurvey(values).hits.map((h) => h.ruleId);

describe('RULES', () => {
  it('has unique ids, a description and at least one field per rule', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(r.description.length, r.id).toBeGreaterThan(5);
      expect(r.fields.length, r.id).toBeGreaterThan(0);
    }
  });

  it('makes every required, type, range and enum rule an error and every other rule a warning', () => {
    const errorKinds: readonly Rule['kind'][] = ['required', 'type', 'range', 'enum'];
    for (const r of RULES)
      expect(r.severity, r.id).toBe(errorKinds.includes(r.kind) ? 'error' : 'warning');
  });

  it('has a type rule for every field and a range rule for every numeric field', () => {
    const ids = new Set(RULES.map((r) => r.id));
    for (const f of SURVEY_FIELDS) {
      expect(ids.has(`type.${f.column}`), f.column).toBe(true);
      if (f.kind === 'float' || f.kind === 'int')
        expect(ids.has(`range.${f.column}`), f.column).toBe(true);
    }
  });

  it('does not require the target', () => {
    expect(RULES.filter((r) => r.kind === 'required').map((r) => r.fields[0])).toEqual([
      'District',
      'HouseHoldID',
      'HouseholdSize',
    ]);
  });
});

describe('rule cases', () => {
  it('cover every rule id exactly once', () => {
    const caseIds = RULE_CASES.map((c) => c.id);
    expect(new Set(caseIds).size).toBe(caseIds.length);
    expect([...caseIds].sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  it('start from a fixture record that breaks no rule', () => {
    expect(validateSurvey(validRecord()).hits).toEqual([]);
  });

  it.each(RULE_CASES.map((c) => [c.id, c] as const))('%s holds on the passing record', (id, c) => {
    expect(ruleIdsOf(validRecord(c.pass))).not.toContain(id);
  });

  it.each(RULE_CASES.map((c) => [c.id, c] as const))('%s fires on the failing record', (id, c) => {
    const hits = validateSurvey(validRecord(c.fail)).hits.filter((h) => h.ruleId === id);
    expect(hits).toHaveLength(1);
    expect(hits[0]?.message.length).toBeGreaterThan(0);
  });
});

describe('per-field rules', () => {
  it('reject values above the maximum of every range', () => {
    for (const f of SURVEY_FIELDS.filter((x) => x.kind === 'float' || x.kind === 'int')) {
      const { max } = rangeFor(f);
      expect(ruleIdsOf(validRecord({ [f.column]: max + 1 })), f.column).toContain(
        `range.${f.column}`,
      );
    }
  });

  it('use the real limits: size 27 and 30 pass, 31 fails; phones -99 is accepted as a code', () => {
    expect(ruleIdsOf(validRecord({ HouseholdSize: 27 }))).not.toContain('range.HouseholdSize');
    expect(ruleIdsOf(validRecord({ HouseholdSize: 30 }))).not.toContain('range.HouseholdSize');
    expect(ruleIdsOf(validRecord({ HouseholdSize: 31 }))).toContain('range.HouseholdSize');
    expect(ruleIdsOf(validRecord({ phones_owned: -99 }))).not.toContain('range.phones_owned');
    expect(ruleIdsOf(validRecord({ phones_owned: -98 }))).toContain('range.phones_owned');
  });

  it('accept all four real districts and reject the seed system ones', () => {
    for (const d of ['Kanungu', 'Mitooma', 'Rubanda', 'Rukungiri']) {
      expect(validateSurvey(validRecord({ District: d })).valid, d).toBe(true);
    }
    for (const d of ['Rubirizi', 'Ntungamo', 'kanungu']) {
      expect(ruleIdsOf(validRecord({ District: d })), d).toContain('enum.District');
    }
  });

  it('report one error for one wrong-typed value (range and enum rules skip it)', () => {
    const cases: SurveyValues[] = [
      { HouseholdSize: 'abc' },
      { TimeToOPD: 'far' },
      { hhh_sex: 'M' },
      { District: 42 },
      { AgricultureLand: Number.NaN },
    ];
    for (const c of cases) {
      const errors = validateSurvey(validRecord(c)).hits.filter((h) => h.severity === 'error');
      expect(
        errors.map((h) => h.ruleId),
        JSON.stringify(c),
      ).toEqual([`type.${Object.keys(c)[0]!}`]);
    }
  });

  it('bound text length at 200 characters', () => {
    expect(ruleIdsOf(validRecord({ Village: 'x'.repeat(200) }))).not.toContain('type.Village');
    expect(ruleIdsOf(validRecord({ Village: 'x'.repeat(201) }))).toContain('type.Village');
  });

  it('treat a blank required text as missing', () => {
    expect(ruleIdsOf(validRecord({ District: '  ' }))).toEqual(['required.District']);
  });
});
