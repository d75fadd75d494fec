import { describe, expect, it } from 'vitest';
import { TARGET_COLUMN } from '../../../../src/domain/fields.js';
import { generateSurveys, type GeneratorOptions } from '../../../../src/domain/generator/index.js';
import { validateSurvey } from '../../../../src/validate/index.js';
import { column, mean } from './dataset.js';

const sample = (opts: Partial<GeneratorOptions> = {}) => [
  ...generateSurveys({ seed: 11, count: 4000, ...opts }),
];
const sd = (xs: readonly number[]): number => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
};

describe('drift injection', () => {
  const base = sample();

  it('shifts a numeric column by k of its standard deviations', () => {
    const shifted = sample({ drift: { shift: [{ column: 'TimeToOPD', sd: 1 }] } });
    const before = column(base, 'TimeToOPD');
    const delta = mean(column(shifted, 'TimeToOPD')) - mean(before);
    expect(delta / sd(before)).toBeGreaterThan(0.85);
    expect(delta / sd(before)).toBeLessThan(1.15);
  });

  it('shifts the target through its components, keeping the identities and validity', () => {
    const shifted = sample({ drift: { shift: [{ column: TARGET_COLUMN, sd: -0.5 }] } });
    expect(mean(column(shifted, TARGET_COLUMN))).toBeLessThan(
      mean(column(base, TARGET_COLUMN)) - 0.4,
    );
    for (const r of shifted.slice(0, 1000)) {
      const v = r.values as Record<string, number>;
      expect(Math.abs(v[TARGET_COLUMN]! - v['HHIncome/Day']! - v['Consumption/Day']!)).toBeLessThan(
        1e-6,
      );
      expect(validateSurvey(r.values).valid).toBe(true);
    }
  });

  it('changes the district mix (unlisted districts keep their real share as weight)', () => {
    const only = sample({
      drift: { districtMix: { Kanungu: 1, Mitooma: 0, Rubanda: 0, Rukungiri: 0 } },
    });
    expect(only.every((r) => r.values['District'] === 'Kanungu')).toBe(true);
    const more = sample({ drift: { districtMix: { Rubanda: 0.6 } } });
    const rubanda = more.filter((r) => r.values['District'] === 'Rubanda').length / more.length;
    expect(rubanda).toBeGreaterThan(0.4);
  });

  it('adds a new category value at the requested rate', () => {
    const rows = sample({
      drift: { newCategory: { column: 'food_banana_wilt_diseases', value: '7', rate: 0.25 } },
    });
    const rate =
      rows.filter((r) => r.values['food_banana_wilt_diseases'] === '7').length / rows.length;
    expect(Math.abs(rate - 0.25)).toBeLessThan(0.03);
  });

  it('rejects invalid options before the first record', () => {
    const bad: Partial<GeneratorOptions>[] = [
      { drift: { shift: [{ column: 'NoSuchColumn', sd: 1 }] } },
      { drift: { shift: [{ column: 'hhh_sex', sd: 1 }] } },
      { drift: { districtMix: { Kanungu: -1 } } },
      { drift: { newCategory: { column: 'Nope', value: 1, rate: 0.1 } } },
      { errors: { rate: 1.5 } },
      { errors: { rate: 0.1, kinds: [] } },
      { count: -1 },
      { startDate: '2025-02-30' },
      { devices: 0 },
    ];
    for (const opts of bad)
      expect(() => generateSurveys({ seed: 1, count: 1, ...opts }), JSON.stringify(opts)).toThrow(
        RangeError,
      );
  });
});
