/**
 * Rows of uploaded files to survey records. Each row either becomes a record (published as JSON
 * like any survey) or a list of row errors (the row is skipped, the file goes on):
 * `row.type` (a value of the wrong kind), `row.required` (District, HouseHoldID or HouseholdSize
 * blank), `row.submission_id` / `row.deprecated_id` (not 1-128 printable characters),
 * `row.json` (not a JSON object), `row.columns` (wrong number of cells).
 *
 * A row without a submission_id gets `<first 16 hex of the file's SHA-256>-<row>`: the same file
 * uploaded again yields the same ids, so a re-upload is deduplicated.
 */
import { SURVEY_FIELDS, type SurveyValues } from '../domain/fields.js';
import type { SurveyRecord } from '../domain/survey-codec.js';
import { SUBMISSION_ID_RE } from '../ingest/index.js';
import { resolveColumn, type ColumnPlan, type ColumnTarget, type MetaKey } from './columns.js';
import { fieldValue, metaText } from './values.js';

/** Values a row takes when it has no column of its own. */
export interface RowDefaults {
  /** Prefix of derived submission ids. */
  readonly idPrefix: string;
  readonly deviceId: string;
  readonly fieldOfficerId: string;
}

/** One problem of one row. */
export interface RowError {
  readonly row: number;
  readonly submissionId: string;
  readonly column: string;
  readonly reasonCode: string;
  readonly message: string;
}

/** A row converted: a record, or the row's errors. */
export type ConvertedRow =
  | { readonly ok: true; readonly row: number; readonly record: SurveyRecord }
  | { readonly ok: false; readonly row: number; readonly errors: readonly RowError[] };

const REQUIRED = SURVEY_FIELDS.filter((f) => f.required);

/** A row being converted. */
class Draft {
  readonly meta: Partial<Record<MetaKey, string>> = {};
  readonly values: SurveyValues = {};
  readonly problems: Omit<RowError, 'row' | 'submissionId'>[] = [];
  readonly #faultyFields = new Set<string>();

  set(target: ColumnTarget, column: string, raw: unknown): void {
    if (target.kind === 'meta') {
      const text = metaText(raw);
      if (text !== undefined) this.meta[target.key] = text;
      return;
    }
    const result = fieldValue(target.field, raw);
    if (result.ok) this.values[target.field.column] = result.value;
    else {
      this.problems.push({ column, reasonCode: 'row.type', message: result.message });
      this.#faultyFields.add(target.field.column);
    }
  }

  finish(row: number, defaults: RowDefaults): ConvertedRow {
    const submissionId = this.meta.submissionId ?? `${defaults.idPrefix}-${row}`;
    this.#checkIds(submissionId);
    for (const f of REQUIRED) {
      if (this.#faultyFields.has(f.column)) continue; // already reported (a value of the wrong kind)
      if (this.values[f.column] === null || this.values[f.column] === undefined) {
        this.problems.push({ column: f.column, reasonCode: 'row.required', message: `${f.column} is required` });
      }
    }
    if (this.problems.length > 0) {
      return { ok: false, row, errors: this.problems.map((p) => ({ ...p, row, submissionId })) };
    }
    const meta = this.meta;
    return {
      ok: true,
      row,
      record: {
        meta: {
          submissionId,
          deprecatedId: meta.deprecatedId,
          deviceId: meta.deviceId ?? defaults.deviceId,
          fieldOfficerId: meta.fieldOfficerId ?? defaults.fieldOfficerId,
          surveyDate: meta.surveyDate,
          appVersion: meta.appVersion,
          schemaVersion: meta.schemaVersion,
        },
        values: this.values,
      },
    };
  }

  #checkIds(submissionId: string): void {
    if (!SUBMISSION_ID_RE.test(submissionId)) {
      this.problems.push({ column: 'submission_id', reasonCode: 'row.submission_id', message: 'submission_id must be 1-128 printable ASCII characters without spaces' });
    }
    const dep = this.meta.deprecatedId;
    if (dep !== undefined && !SUBMISSION_ID_RE.test(dep)) {
      this.problems.push({ column: 'deprecated_id', reasonCode: 'row.deprecated_id', message: 'deprecated_id must be 1-128 printable ASCII characters without spaces' });
    }
  }
}

/** Converts a row of a header format (CSV, XLSX, Parquet). */
export function convertCells(row: number, cells: readonly unknown[], plan: ColumnPlan, names: readonly string[], defaults: RowDefaults): ConvertedRow {
  const draft = new Draft();
  plan.targets.forEach((target, i) => {
    if (target) draft.set(target, names[i]!, cells[i]);
  });
  return draft.finish(row, defaults);
}

/** Per-file memory of JSON keys: which survey columns appeared, which keys were unknown. */
export interface KeyTracker {
  readonly seenColumns: Set<string>;
  readonly unknown: Set<string>;
}

const MAX_UNKNOWN_KEYS = 100;

/** Converts a row of a JSON format (one object). */
export function convertObject(row: number, value: unknown, defaults: RowDefaults, keys: KeyTracker): ConvertedRow {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const error = { row, submissionId: '', column: '', reasonCode: 'row.json', message: 'row is not a JSON object' };
    return { ok: false, row, errors: [error] };
  }
  const draft = new Draft();
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    const target = resolveColumn(key);
    if (!target) {
      if (keys.unknown.size < MAX_UNKNOWN_KEYS) keys.unknown.add(key);
      continue;
    }
    if (target.kind === 'field') keys.seenColumns.add(target.field.column);
    draft.set(target, key, raw);
  }
  return draft.finish(row, defaults);
}
