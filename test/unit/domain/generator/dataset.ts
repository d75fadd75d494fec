/**
 * Shared seeded samples for the generator tests (generated once per test file).
 */
import { generateSurveys, type GeneratedSurvey } from '../../../../src/domain/generator/index.js';

let clean: GeneratedSurvey[] | undefined;

/** 20,000 clean surveys, seed 20240601. */
export function cleanSample(): GeneratedSurvey[] {
  clean ??= [...generateSurveys({ seed: 20240601, count: 20_000 })];
  return clean;
}

export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Numeric values of one column (blanks and the -99 code left out). */
export function column(rows: readonly GeneratedSurvey[], name: string): number[] {
  return rows
    .map((r) => r.values[name])
    .filter((v): v is number => typeof v === 'number' && v !== -99);
}
