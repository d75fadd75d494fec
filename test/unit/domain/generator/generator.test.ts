import { describe, expect, it } from 'vitest';
import { DISTRICTS, SURVEY_FIELDS, TARGET_COLUMN } from '../../../../src/domain/fields.js';
import {
  APP_VERSION,
  DISTRICT_PROFILES,
  PLACES,
  generateSurveys,
  toNdjsonLine,
} from '../../../../src/domain/generator/index.js';
import { PROGRESS_STATUS, deriveLabel } from '../../../../src/domain/labels.js';
import { validateSurvey } from '../../../../src/validate/index.js';
import { cleanSample, column, mean } from './dataset.js';

const REAL_CLASS_SHARES = {
  'On Track': 0.437,
  'At Risk': 0.137,
  Struggling: 0.231,
  'Severely Struggling': 0.194,
} as const;

const share = <T>(items: readonly T[], pred: (x: T) => boolean): number =>
  items.filter(pred).length / items.length;

describe('generateSurveys statistics (20,000 clean rows)', () => {
  const rows = cleanSample();

  it('reproduces the real class shares within 2 percentage points', () => {
    const labels = rows.map((r) => deriveLabel(r.values)?.progressStatus);
    for (const status of PROGRESS_STATUS) {
      expect(
        share(labels, (l) => l === status),
        status,
      ).toBeCloseTo(REAL_CLASS_SHARES[status], 1);
      expect(Math.abs(share(labels, (l) => l === status) - REAL_CLASS_SHARES[status])).toBeLessThan(
        0.02,
      );
    }
  });

  it('reproduces district shares and vulnerability rates within 2 percentage points', () => {
    for (const d of DISTRICTS) {
      const inDistrict = rows.filter((r) => r.values['District'] === d);
      expect(
        Math.abs(inDistrict.length / rows.length - DISTRICT_PROFILES[d].share),
        d,
      ).toBeLessThan(0.02);
      const rate = share(inDistrict, (r) => deriveLabel(r.values)?.isVulnerable === true);
      expect(Math.abs(rate - DISTRICT_PROFILES[d].vulnerableRate), d).toBeLessThan(0.02);
    }
  });

  it('matches the real marginals: size, target, access, land, WASH', () => {
    const sizes = column(rows, 'HouseholdSize');
    expect(Math.abs(mean(sizes) - 4.84)).toBeLessThan(0.2);
    expect(Math.min(...sizes)).toBe(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(27);
    expect(mean(column(rows, TARGET_COLUMN))).toBeCloseTo(2.24, 0);
    expect(Math.abs(mean(column(rows, 'TimeToOPD')) - 65.3)).toBeLessThan(3);
    expect(Math.abs(mean(column(rows, 'TimeToWater')) - 33.4)).toBeLessThan(3);
    expect(Math.abs(mean(column(rows, 'AgricultureLand')) - 1.58)).toBeLessThan(0.15);
    expect(mean(column(rows, 'latrine_constructed'))).toBeCloseTo(0.98, 1);
    expect(mean(column(rows, 'tippy_tap_available'))).toBeCloseTo(0.33, 1);
    expect(mean(column(rows, 'soap_ash_available'))).toBeCloseTo(0.24, 1);
  });

  it('keeps about 2.6 % of cells blank, in the columns the real data has blanks in', () => {
    const cells = rows.length * SURVEY_FIELDS.length;
    const blanks = rows.reduce(
      (s, r) => s + Object.values(r.values).filter((v) => v === null).length,
      0,
    );
    expect(Math.abs(blanks / cells - 0.0263)).toBeLessThan(0.004);
    for (const c of ['District', 'HouseholdSize', 'HouseHoldID', 'hhh_sex', TARGET_COLUMN]) {
      expect(
        rows.every((r) => r.values[c] !== null),
        c,
      ).toBe(true);
    }
    expect(share(rows, (r) => r.values['organic_pesticide_expenditure'] === null)).toBeGreaterThan(
      0.7,
    );
  });

  it('uses 153 villages and well-formed, unique household ids', () => {
    expect(DISTRICTS.reduce((s, d) => s + PLACES[d].length, 0)).toBe(153);
    const ids = rows.map((r) => String(r.values['HouseHoldID']));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 500))
      expect(id).toMatch(/^(KAN|MIT|RUB|RUK)-[A-Z]{3}-[A-Z]{3}-K\d{4}$/);
  });

  it('holds the accounting identities exactly', () => {
    const sums: readonly (readonly [string, string, string])[] = [
      ['VegetableIncome', 'Season1VegetableIncome', 'Season2VegatableIncome'],
      ['SeasonalCropIncome', 'Season1CropIncome', 'Season2CropIncome'],
      ['SeasonalVegetableValue', 'Season1VegetableValue', 'Season2VegetableValue'],
      ['SeasonalAgricValue', 'Season1AgricValue', 'Season2AgricValue'],
      ['AgricValue', 'SeasonalAgricValue', 'PerennialAgricValue'],
      [TARGET_COLUMN, 'HHIncome/Day', 'Consumption/Day'],
    ];
    const daily: readonly (readonly [string, string])[] = [
      ['HouseholdIcome', 'HHIncome/Day'],
      ['Consumption+Residues', 'Consumption/Day'],
      ['HHIncome+Consumption+Residues', TARGET_COLUMN],
      ['HHIncome+Consumption+Assets+Residues', 'HHIncome+Consumption+Assets+Residues/Day'],
    ];
    const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);
    let worst = 0;
    for (const { values: v } of rows) {
      for (const [t, a, b] of sums)
        worst = Math.max(worst, Math.abs(num(v[t]) - num(v[a]) - num(v[b])));
      for (const [annual, day] of daily)
        worst = Math.max(worst, Math.abs(num(v[annual]) - 365 * num(v[day])));
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it('never produces an error hit on a clean row, and warnings on fewer than 3 % of them', () => {
    let warned = 0;
    for (const r of rows) {
      const { hits } = validateSurvey(r.values);
      expect(hits.filter((h) => h.severity === 'error')).toEqual([]);
      if (hits.length > 0) warned++;
    }
    expect(warned / rows.length).toBeLessThan(0.03);
  });
});

describe('generateSurveys error injection', () => {
  const rows = [...generateSurveys({ seed: 99, count: 5000, errors: { rate: 0.3 } })];
  const injected = rows.filter((r) => r.injected);

  it('injects at the requested rate, every kind', () => {
    expect(Math.abs(injected.length / rows.length - 0.3)).toBeLessThan(0.03);
    const kinds = new Set(injected.map((r) => r.injected?.kind));
    expect(kinds.size).toBe(6);
  });

  it('marks each bad record with exactly the error rule ids the validator reports', () => {
    for (const r of rows) {
      const errors = validateSurvey(r.values).hits.filter((h) => h.severity === 'error');
      expect(errors.map((h) => h.ruleId).sort(), JSON.stringify(r.injected)).toEqual(
        [...(r.injected?.ruleIds ?? [])].sort(),
      );
    }
  });

  it('resends duplicates with the same submission id and content', () => {
    const byId = new Map(rows.filter((r) => !r.injected).map((r) => [r.meta.submissionId, r]));
    const duplicates = injected.filter((r) => r.injected?.kind === 'duplicate');
    expect(duplicates.length).toBeGreaterThan(0);
    for (const d of duplicates) {
      const original = byId.get(d.meta.submissionId);
      expect(original?.values).toEqual(d.values);
      expect(d.injected?.ruleIds).toEqual([]);
    }
  });

  it('makes edits supersede an earlier submission with slightly changed values', () => {
    const byId = new Map(rows.filter((r) => !r.injected).map((r) => [r.meta.submissionId, r]));
    const edits = injected.filter((r) => r.injected?.kind === 'edit');
    expect(edits.length).toBeGreaterThan(0);
    for (const e of edits) {
      const original = byId.get(e.meta.deprecatedId ?? '');
      expect(original).toBeDefined();
      expect(e.meta.submissionId).not.toBe(original?.meta.submissionId);
      expect(e.values['HouseHoldID']).toBe(original?.values['HouseHoldID']);
      expect(e.values['TimeToOPD']).not.toBe(original?.values['TimeToOPD']);
    }
  });

  it('leaves the clean records identical to a run without injection', () => {
    const plain = [...generateSurveys({ seed: 99, count: 5000 })];
    rows.forEach((r, i) => {
      if (!r.injected) expect(r).toEqual(plain[i]);
    });
  });

  it('draws only the requested kinds', () => {
    const only = [
      ...generateSurveys({ seed: 5, count: 500, errors: { rate: 1, kinds: ['bad_district'] } }),
    ];
    expect(
      only.every(
        (r) => r.injected?.kind === 'bad_district' && r.injected.ruleIds[0] === 'enum.District',
      ),
    ).toBe(true);
  });
});

describe('generateSurveys determinism and metadata', () => {
  it('returns the same records for the same seed and different ones for another seed', () => {
    const lines = (seed: number): string[] =>
      [...generateSurveys({ seed, count: 300 })].map(toNdjsonLine);
    expect(lines(7)).toEqual(lines(7));
    expect(lines(8)).not.toEqual(lines(7));
  });

  it('fills metadata: UUID-like ids, devices, officers, dates, versions', () => {
    const rows = [
      ...generateSurveys({
        seed: 1,
        count: 120,
        devices: 8,
        startDate: '2024-12-31',
        idPrefix: 't1-',
      }),
    ];
    const uuid = /^t1-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const { meta } of rows) {
      expect(meta.submissionId).toMatch(uuid);
      expect(meta.deviceId).toMatch(/^DEV-000[1-8]$/);
      expect(meta.fieldOfficerId).toMatch(/^FO-00[1-4]$/);
      expect(meta.appVersion).toBe(APP_VERSION);
      expect(meta.schemaVersion).toBe('1');
      expect(meta.deprecatedId).toBeUndefined();
    }
    expect(new Set(rows.map((r) => r.meta.submissionId)).size).toBe(rows.length);
    expect(rows[0]?.meta.surveyDate).toBe('2024-12-31');
    expect(rows[50]?.meta.surveyDate).toBe('2025-01-01');
    expect(rows[119]?.meta.surveyDate).toBe('2025-01-02');
  });

  it('keeps every survey column in dictionary order', () => {
    const [first] = [...generateSurveys({ seed: 1, count: 1 })];
    expect(Object.keys(first?.values ?? {})).toEqual(SURVEY_FIELDS.map((f) => f.column));
  });
});
