import { describe, expect, it } from 'vitest';
import { FIELD_BY_COLUMN } from '../../../src/domain/fields.js';
import { fieldValue, metaText } from '../../../src/upload/values.js';

const field = (column: string) => FIELD_BY_COLUMN.get(column)!;

describe('upload values', () => {
  it('reads numbers given as text, numbers, booleans and bigints', () => {
    expect(fieldValue(field('HouseholdSize'), ' 7 ')).toEqual({ ok: true, value: 7 });
    expect(fieldValue(field('HouseholdSize'), 7)).toEqual({ ok: true, value: 7 });
    expect(fieldValue(field('HouseholdSize'), 7n)).toEqual({ ok: true, value: 7 });
    expect(fieldValue(field('hhh_sex'), true)).toEqual({ ok: true, value: 1 });
    expect(fieldValue(field('AgricultureLand'), '2.5e1')).toEqual({ ok: true, value: 25 });
    expect(fieldValue(field('AgricultureLand'), '-.5')).toEqual({ ok: true, value: -0.5 });
  });

  it('treats blanks and NA-like tokens in number columns as missing', () => {
    for (const blank of ['', '  ', 'NA', 'n/a', 'null', 'NaN', null, undefined]) {
      expect(fieldValue(field('TimeToOPD'), blank)).toEqual({ ok: true, value: null });
    }
  });

  it('reports values of the wrong kind with the column name', () => {
    expect(fieldValue(field('HouseholdSize'), 'abc')).toEqual({ ok: false, message: 'HouseholdSize: expected an integer, got "abc"' });
    expect(fieldValue(field('HouseholdSize'), 2.5)).toMatchObject({ ok: false, message: expect.stringContaining('32-bit integer') as unknown });
    expect(fieldValue(field('HouseholdSize'), 2 ** 40)).toMatchObject({ ok: false });
    expect(fieldValue(field('AgricultureLand'), 'Infinity')).toMatchObject({ ok: false });
    expect(fieldValue(field('AgricultureLand'), new Date())).toMatchObject({ ok: false, message: expect.stringContaining('date') as unknown });
    expect(fieldValue(field('District'), { a: 1 })).toMatchObject({ ok: false, message: expect.stringContaining('nested') as unknown });
  });

  it('keeps text as trimmed text, numbers as their text, and dates as days', () => {
    expect(fieldValue(field('District'), ' Kanungu ')).toEqual({ ok: true, value: 'Kanungu' });
    expect(fieldValue(field('Loan_from'), 3)).toEqual({ ok: true, value: '3' });
    expect(fieldValue(field('Village'), '')).toEqual({ ok: true, value: null });
    expect(metaText(new Date(Date.UTC(2024, 1, 29)))).toBe('2024-02-29');
    expect(metaText('  ')).toBeUndefined();
    expect(metaText(12)).toBe('12');
  });
});
