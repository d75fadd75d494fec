import { describe, expect, it } from 'vitest';
import { canonicalKeys, normalize } from '../../../src/validate/index.js';

describe('normalize', () => {
  it('turns the phones missing code and blank strings into null', () => {
    expect(normalize({ phones_owned: -99, Loan_from: '  ', radios_owned: 0 })).toEqual({
      phones_owned: null,
      Loan_from: null,
      radios_owned: 0,
    });
  });

  it('renames aliases, preferring the column name when both are present', () => {
    expect(canonicalKeys({ Season2VegetableIncome: 5, HouseholdIncome: 10 })).toEqual({
      Season2VegatableIncome: 5,
      HouseholdIcome: 10,
    });
    expect(canonicalKeys({ Season2VegetableIncome: 5, Season2VegatableIncome: 7 })).toEqual({
      Season2VegatableIncome: 7,
    });
  });

  it('keeps unknown keys and does not modify its input', () => {
    const input = { Extra: 'x', phones_owned: -99 };
    expect(normalize(input)).toEqual({ Extra: 'x', phones_owned: null });
    expect(input.phones_owned).toBe(-99);
  });
});
