/**
 * Small value helpers shared by the rules.
 */
import type { SurveyValues } from '../domain/fields.js';

export type Value = SurveyValues[string] | undefined;

/** Blank: null, undefined or a string of only whitespace. */
export function isMissing(v: Value): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

/** The value as a finite number, or null when it is anything else (wrong types are the type rules' job). */
export function num(v: Value): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** A short, bounded rendering of a value for messages. */
export function show(v: Value): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Reads several columns as numbers; null unless all are finite numbers. */
export function nums(v: SurveyValues, columns: readonly string[]): number[] | null {
  const out: number[] = [];
  for (const c of columns) {
    const x = num(v[c]);
    if (x === null) return null;
    out.push(x);
  }
  return out;
}
