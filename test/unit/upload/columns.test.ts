import { describe, expect, it } from 'vitest';
import { CSV_HEADER } from '../../../src/domain/generator/index.js';
import { planColumns, resolveColumn } from '../../../src/upload/columns.js';

describe('upload columns', () => {
  it('resolves original names (typos included), aliases, proto names and metadata columns', () => {
    expect(resolveColumn('Season2VegatableIncome')).toMatchObject({ kind: 'field', field: { column: 'Season2VegatableIncome' } });
    expect(resolveColumn('Season2VegetableIncome')).toMatchObject({ kind: 'field', field: { column: 'Season2VegatableIncome' } });
    expect(resolveColumn('HouseholdIncome')).toMatchObject({ kind: 'field', field: { column: 'HouseholdIcome' } });
    expect(resolveColumn('household_size')).toMatchObject({ kind: 'field', field: { column: 'HouseholdSize' } });
    expect(resolveColumn(' submission_id ')).toEqual({ kind: 'meta', key: 'submissionId' });
    expect(resolveColumn('constructor')).toBeUndefined();
    expect(resolveColumn('Notes')).toBeUndefined();
  });

  it('plans the generator CSV header completely', () => {
    const plan = planColumns(CSV_HEADER);
    expect(plan.unknown).toEqual([]);
    expect(plan.targets.every((t) => t !== undefined)).toBe(true);
  });

  it('reports unknown columns and ignores them', () => {
    const plan = planColumns(['District', 'HouseHoldID', 'HouseholdSize', 'Notes', '']);
    expect(plan.unknown).toEqual(['Notes']);
    expect(plan.targets[3]).toBeUndefined();
  });

  it('refuses a header without the required columns, naming them', () => {
    expect(() => planColumns(['district', 'Village'])).toThrow(/missing HouseHoldID, HouseholdSize/);
  });

  it('refuses two columns for one field', () => {
    expect(() => planColumns(['District', 'HouseHoldID', 'HouseholdSize', 'Season2VegatableIncome', 'Season2VegetableIncome'])).toThrow(
      /"Season2VegatableIncome" and "Season2VegetableIncome" are the same field/,
    );
  });
});
