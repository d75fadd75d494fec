/**
 * Cell values of uploaded files to typed survey values. Numbers may arrive as text (CSV) or as
 * numbers (JSON, XLSX, Parquet); a value that is not of its field's kind is a row error, reported
 * with the column, and the row is skipped. Blank cells (and NA, N/A, null, NaN in number columns)
 * are missing values.
 */
import type { FieldDef } from '../domain/fields.js';

/** A converted value, or why it could not be converted. */
export type ValueResult = { readonly ok: true; readonly value: string | number | null } | { readonly ok: false; readonly message: string };

const INT32_MAX = 2_147_483_647;
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const BLANK_NUMBER_TOKENS = new Set(['', 'na', 'n/a', 'null', 'nan']);

const ok = (value: string | number | null): ValueResult => ({ ok: true, value });

/** A short rendering of a value for messages. */
export function show(v: unknown): string {
  const text = typeof v === 'string' ? JSON.stringify(v) : v instanceof Date ? v.toISOString() : String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** `YYYY-MM-DD` of a date (UTC, as spreadsheets store dates without a zone). */
export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function toNumber(raw: unknown): number | null | undefined {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'bigint') return Number(raw);
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  if (typeof raw !== 'string') return undefined;
  const t = raw.trim();
  if (BLANK_NUMBER_TOKENS.has(t.toLowerCase())) return null;
  return NUMBER_RE.test(t) ? Number(t) : undefined;
}

function numberValue(field: FieldDef, raw: unknown): ValueResult {
  const n = toNumber(raw);
  if (n === null) return ok(null);
  const integer = field.kind !== 'float';
  if (n === undefined || !Number.isFinite(n)) {
    return { ok: false, message: `${field.column}: expected ${integer ? 'an integer' : 'a number'}, got ${show(raw)}` };
  }
  if (integer && !(Number.isInteger(n) && Math.abs(n) <= INT32_MAX)) {
    return { ok: false, message: `${field.column}: expected a 32-bit integer, got ${show(raw)}` };
  }
  return ok(n);
}

function textValue(raw: unknown): ValueResult {
  if (raw instanceof Date) return ok(isoDate(raw));
  const t = (typeof raw === 'string' ? raw : String(raw)).trim();
  return ok(t === '' ? null : t);
}

/** Converts one cell for a survey field. */
export function fieldValue(field: FieldDef, raw: unknown): ValueResult {
  if (raw === null || raw === undefined) return ok(null);
  if (typeof raw === 'object' && !(raw instanceof Date)) {
    return { ok: false, message: `${field.column}: expected ${field.kind === 'text' ? 'text' : 'a number'}, got a nested value` };
  }
  if (field.kind === 'text') return textValue(raw);
  if (raw instanceof Date) return { ok: false, message: `${field.column}: expected a number, got a date` };
  return numberValue(field, raw);
}

/** A metadata cell as text (dates as YYYY-MM-DD); undefined when blank. */
export function metaText(raw: unknown): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (raw instanceof Date) return isoDate(raw);
  if (typeof raw === 'object') return JSON.stringify(raw);
  const t = (typeof raw === 'string' ? raw : String(raw as number)).trim();
  return t === '' ? undefined : t;
}
