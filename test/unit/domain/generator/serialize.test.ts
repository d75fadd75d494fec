import { describe, expect, it } from 'vitest';
import { SURVEY_FIELDS } from '../../../../src/domain/fields.js';
import {
  CSV_HEADER,
  csvCell,
  generateSurveys,
  toCsvRow,
  toNdjsonLine,
  type GeneratedSurvey,
} from '../../../../src/domain/generator/index.js';

/** Minimal RFC 4180 line parser for the round-trip check. */
function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cur += '"';
      i++;
    } else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      cells.push(cur);
      cur = '';
    } else cur += ch;
  }
  cells.push(cur);
  return cells;
}

const rows = [
  ...generateSurveys({
    seed: 21,
    count: 400,
    errors: { rate: 0.3, kinds: ['edit', 'wrong_type'] },
  }),
];

describe('toNdjsonLine', () => {
  it('writes submission_id first, then metadata, then every survey column by its original name', () => {
    const obj = JSON.parse(toNdjsonLine(rows[0]!)) as Record<string, unknown>;
    const keys = Object.keys(obj);
    expect(keys[0]).toBe('submission_id');
    expect(keys.slice(1, 6)).toEqual([
      'device_id',
      'field_officer_id',
      'survey_date',
      'app_version',
      'schema_version',
    ]);
    expect(keys.slice(6)).toEqual(SURVEY_FIELDS.map((f) => f.column));
    expect(keys).toContain('Season2VegatableIncome');
  });

  it('writes deprecated_id only on edits, and keeps injected wrong types as they are', () => {
    for (const r of rows) {
      const obj = JSON.parse(toNdjsonLine(r)) as Record<string, unknown>;
      expect('deprecated_id' in obj).toBe(r.injected?.kind === 'edit');
      if (r.injected?.kind === 'wrong_type') {
        expect(obj[r.injected.field ?? '']).toEqual(r.values[r.injected.field ?? '']);
      }
    }
  });
});

describe('toCsvRow', () => {
  it('has a header of metadata columns plus the 73 survey columns', () => {
    expect(CSV_HEADER.slice(0, 2)).toEqual(['submission_id', 'deprecated_id']);
    expect(CSV_HEADER).toHaveLength(7 + SURVEY_FIELDS.length);
  });

  it('round-trips every cell through a CSV parser', () => {
    for (const r of rows) {
      const cells = parseCsvLine(toCsvRow(r));
      expect(cells).toHaveLength(CSV_HEADER.length);
      const byName = new Map(CSV_HEADER.map((h, i) => [h, cells[i]]));
      expect(byName.get('submission_id')).toBe(r.meta.submissionId);
      expect(byName.get('deprecated_id')).toBe(r.meta.deprecatedId ?? '');
      for (const { column } of SURVEY_FIELDS) {
        const v = r.values[column];
        expect(byName.get(column), column).toBe(v === null || v === undefined ? '' : String(v));
      }
    }
  });

  it('quotes commas, quotes, newlines and edge spaces', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvCell('1 2')).toBe('1 2');
    expect(csvCell(null)).toBe('');
    expect(csvCell(0.1 + 0.2)).toBe('0.30000000000000004');
  });

  it('quotes a value written into a survey column when needed', () => {
    const s: GeneratedSurvey = { ...rows[0]!, values: { ...rows[0]!.values, Village: 'Ka, "Ki"' } };
    expect(toCsvRow(s)).toContain(',"Ka, ""Ki""",');
  });
});
