/**
 * Reading raw inputs: column lookup (with accepted aliases), value coercion and derived features.
 * Derived values are computed once per record into a small array indexed like `spec.derived`.
 */
import { FIELD_BY_COLUMN, type SurveyValues } from '../domain/fields.js';
import type { DerivedDef, FeatureSpec } from './schema.js';

/** A raw input value after coercion: a finite number, a non-empty string, or null. */
export type RawValue = number | string | null;

/** Reads one source (column or derived id) of a record, given the derived values of that record. */
export type SourceGetter = (values: SurveyValues, derived: readonly RawValue[]) => RawValue;

/** Coerces a survey cell to a finite number, or null (blank, non-numeric text, NaN, ±Infinity). */
export function toNumber(v: RawValue | undefined): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') return null;
    const n = Number(t);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/** Coerces a survey cell to a category label (numbers print without a trailing `.0`), or null. */
export function toCategory(v: RawValue | undefined): string | null {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'string') {
    const t = v.trim();
    return t === '' ? null : t;
  }
  return null;
}

/** A numeric value with `missingCodes` (sentinels) mapped to null. */
export function numberOrMissing(v: RawValue | undefined, codes?: readonly number[]): number | null {
  const n = toNumber(v);
  return n !== null && codes?.includes(n) ? null : n;
}

function columnGetter(column: string): SourceGetter {
  const def = FIELD_BY_COLUMN.get(column);
  const keys = def ? [def.column, ...(def.aliases ?? [])] : [column];
  if (keys.length === 1) return (values) => values[column] ?? null;
  return (values) => {
    for (const k of keys) {
      const v = values[k];
      if (v !== undefined && v !== null) return v;
    }
    return null;
  };
}

/** Builds a getter for a source: a derived id (earlier in `spec.derived`) or an original column name. */
export function sourceGetter(spec: FeatureSpec, source: string): SourceGetter {
  const idx = spec.derived.findIndex((d) => d.id === source);
  if (idx >= 0) return (_values, derived) => derived[idx] ?? null;
  return columnGetter(source);
}

function sumOf(d: Extract<DerivedDef, { op: 'sum' }>, get: SourceGetter[]): DerivedFn {
  return (values, derived) => {
    let total = 0;
    let seen = 0;
    for (const g of get) {
      const n = numberOrMissing(g(values, derived), d.missingCodes);
      if (n === null) {
        if (d.missing === 'propagate') return null;
        continue;
      }
      total += n;
      seen++;
    }
    return seen === 0 ? null : total;
  };
}

function ratioOf(
  d: Extract<DerivedDef, { op: 'ratio' }>,
  num: SourceGetter,
  den: SourceGetter,
): DerivedFn {
  return (values, derived) => {
    const a = toNumber(num(values, derived));
    let b = toNumber(den(values, derived));
    if (a === null || b === null) return null;
    if (b === 0) {
      if (d.zeroDenominatorAs === undefined) return null;
      b = d.zeroDenominatorAs;
    }
    return a / b;
  };
}

function binsOf(d: Extract<DerivedDef, { op: 'bins' }>, input: SourceGetter): DerivedFn {
  return (values, derived) => {
    const x = toNumber(input(values, derived));
    if (x === null) return null;
    let i = 0;
    while (i < d.edges.length && x > d.edges[i]!) i++;
    return d.labels[i] ?? null;
  };
}

type DerivedFn = (values: SurveyValues, derived: readonly RawValue[]) => RawValue;

function derivedFn(spec: FeatureSpec, d: DerivedDef): DerivedFn {
  const g = (s: string): SourceGetter => sourceGetter(spec, s);
  switch (d.op) {
    case 'sum':
      return sumOf(d, d.inputs.map(g));
    case 'ratio':
      return ratioOf(d, g(d.numerator), g(d.denominator));
    case 'count_positive': {
      const gets = d.inputs.map(g);
      return (values, derived) =>
        gets.filter((x) => (toNumber(x(values, derived)) ?? 0) > 0).length;
    }
    case 'bins':
      return binsOf(d, g(d.input));
  }
}

/** Compiles `spec.derived` into one function that returns the derived values of a record, in order. */
export function compileDerived(spec: FeatureSpec): (values: SurveyValues) => RawValue[] {
  const fns = spec.derived.map((d) => derivedFn(spec, d));
  return (values) => {
    const out: RawValue[] = [];
    for (const fn of fns) out.push(fn(values, out));
    return out;
  };
}
