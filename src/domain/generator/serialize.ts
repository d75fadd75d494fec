/**
 * NDJSON and CSV forms of generated surveys: metadata first (snake_case), then every survey column
 * under its original name (typos included), in dictionary order.
 */
import { SURVEY_FIELDS } from '../fields.js';
import type { GeneratedSurvey, SurveyMeta } from './types.js';

/** Metadata columns, in output order, with the `SurveyMeta` property each comes from. */
export const META_COLUMNS = [
  ['submission_id', 'submissionId'],
  ['deprecated_id', 'deprecatedId'],
  ['device_id', 'deviceId'],
  ['field_officer_id', 'fieldOfficerId'],
  ['survey_date', 'surveyDate'],
  ['app_version', 'appVersion'],
  ['schema_version', 'schemaVersion'],
] as const satisfies readonly (readonly [string, keyof SurveyMeta])[];

/** Header of {@link toCsvRow}: metadata columns, then the survey columns. */
export const CSV_HEADER: string[] = [
  ...META_COLUMNS.map(([name]) => name),
  ...SURVEY_FIELDS.map((f) => f.column),
];

/**
 * One NDJSON line (no trailing newline): `{"submission_id":…, <metadata>, <survey columns>}`.
 * `deprecated_id` is present only on edits; blank cells are `null`.
 */
export function toNdjsonLine(s: GeneratedSurvey): string {
  const out: Record<string, string | number | null> = {};
  for (const [name, key] of META_COLUMNS) {
    const value = s.meta[key];
    if (value !== undefined) out[name] = value;
  }
  for (const { column } of SURVEY_FIELDS) out[column] = s.values[column] ?? null;
  return JSON.stringify(out);
}

/** Quotes a CSV cell when it holds a comma, quote, CR/LF or edge whitespace (RFC 4180). */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV row in {@link CSV_HEADER} order (no trailing newline); blank cells are empty. */
export function toCsvRow(s: GeneratedSurvey): string {
  const meta = META_COLUMNS.map(([, key]) => csvCell(s.meta[key]));
  const values = SURVEY_FIELDS.map(({ column }) => csvCell(s.values[column]));
  return [...meta, ...values].join(',');
}
