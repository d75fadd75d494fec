import { describe, expect, it } from 'vitest';
import { planColumns } from '../../../src/upload/columns.js';
import { convertCells, convertObject, type KeyTracker } from '../../../src/upload/rows.js';

const defaults = { idPrefix: 'abcdef0123456789', deviceId: 'DEV-META', fieldOfficerId: 'FO-META' };
const names = ['submission_id', 'District', 'HouseHoldID', 'HouseholdSize', 'TimeToOPD', 'device_id'];
const plan = planColumns(names);

describe('upload rows', () => {
  it('converts a row of cells into a record, with defaults for missing metadata', () => {
    const row = convertCells(4, ['S-1', 'Kanungu', 'H-9', '5', '', ''], plan, names, defaults);
    expect(row).toEqual({
      ok: true,
      row: 4,
      record: {
        meta: { submissionId: 'S-1', deprecatedId: undefined, deviceId: 'DEV-META', fieldOfficerId: 'FO-META', surveyDate: undefined, appVersion: undefined, schemaVersion: undefined },
        values: { District: 'Kanungu', HouseHoldID: 'H-9', HouseholdSize: 5, TimeToOPD: null },
      },
    });
  });

  it('derives a submission id from the file hash and row when there is none', () => {
    const row = convertCells(12, ['', 'Kanungu', 'H-9', '5', '1.5', 'DEV-ROW'], plan, names, defaults);
    expect(row.ok && row.record.meta).toMatchObject({ submissionId: 'abcdef0123456789-12', deviceId: 'DEV-ROW' });
  });

  it('collects every problem of a row: wrong kinds, blanks in required columns, bad ids', () => {
    const row = convertCells(3, ['bad id', '', 'H-1', 'many', 'x', ''], plan, names, defaults);
    expect(row.ok).toBe(false);
    if (row.ok) return;
    expect(row.errors.map((e) => [e.column, e.reasonCode])).toEqual([
      ['HouseholdSize', 'row.type'],
      ['TimeToOPD', 'row.type'],
      ['submission_id', 'row.submission_id'],
      ['District', 'row.required'],
    ]);
    expect(row.errors.every((e) => e.row === 3 && e.submissionId === 'bad id')).toBe(true);
  });

  it('converts JSON objects, tracking which columns appeared and unknown keys', () => {
    const keys: KeyTracker = { seenColumns: new Set(), unknown: new Set() };
    const row = convertObject(1, { submission_id: 'J-1', District: 'Mitooma', HouseHoldID: 'H', HouseholdSize: 3, extra: true }, defaults, keys);
    expect(row.ok).toBe(true);
    expect([...keys.seenColumns].sort()).toEqual(['District', 'HouseHoldID', 'HouseholdSize']);
    expect([...keys.unknown]).toEqual(['extra']);
    expect(convertObject(2, [1, 2], defaults, keys)).toMatchObject({ ok: false, errors: [{ reasonCode: 'row.json' }] });
  });
});
