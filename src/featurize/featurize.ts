/**
 * The featurizer: one compiled plan per (fitted) spec, used for training matrices and for scoring,
 * so train and serve cannot differ. Output rows are float32, in {@link featureNames} order:
 * numeric features, then one-hot blocks of the categoricals, then binaries.
 */
import type { SurveyValues } from '../domain/fields.js';
import type { BinaryFeature, FeatureSpec, NumericFeature } from './schema.js';
import {
  compileDerived,
  numberOrMissing,
  sourceGetter,
  toCategory,
  type RawValue,
} from './sources.js';

/** A dense row-major float32 matrix. */
export interface FeatureMatrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/** Thrown when a spec that needs learned statistics is used before `fitSpec`. */
export class SpecNotFittedError extends Error {
  constructor(feature: string, options?: ErrorOptions) {
    super(`feature "${feature}" needs fitSpec() before featurizing`, options);
    this.name = 'SpecNotFittedError';
  }
}

/** Suffix of the column that collects unknown values of a categorical with `unknown: 'other'`. */
export const OTHER_CATEGORY = '__other__';

/** Model column names, in the order `featurize` writes them. */
export function featureNames(spec: FeatureSpec): string[] {
  const names = spec.numeric.map((f) => f.name);
  for (const c of spec.categorical) {
    for (const cat of c.categories) names.push(`${c.name}=${cat}`);
    if (c.unknown === 'other') names.push(`${c.name}=${OTHER_CATEGORY}`);
  }
  for (const b of spec.binary) names.push(b.name);
  return names;
}

/** The value used for a missing numeric input (raw scale). */
export function numericFill(f: NumericFeature): number {
  if (typeof f.impute === 'number') return f.impute;
  if (f.impute === 'zero') return 0;
  if (f.fill === undefined) throw new SpecNotFittedError(f.name);
  return f.fill;
}

/** Imputation, transform and clipping of a numeric feature (everything except standardisation). */
export function numericPrescale(f: NumericFeature, raw: RawValue): number {
  let x = numberOrMissing(raw, f.missingCodes) ?? numericFill(f);
  if (f.transform === 'log1p') x = Math.sign(x) * Math.log1p(Math.abs(x));
  if (f.clip) x = Math.min(Math.max(x, f.clip[0]), f.clip[1]);
  return x;
}

function binaryFill(f: BinaryFeature): number {
  if (typeof f.impute === 'number') return f.impute;
  if (f.impute === 'zero') return 0;
  if (f.fill === undefined) throw new SpecNotFittedError(f.name);
  return f.fill;
}

/** Binary value: any positive number is 1, zero or negative is 0, missing takes the fill. */
export function binaryValue(f: BinaryFeature, raw: RawValue): number {
  const x = numberOrMissing(raw, f.missingCodes);
  return x === null ? binaryFill(f) : x > 0 ? 1 : 0;
}

type Writer = (
  values: SurveyValues,
  derived: readonly RawValue[],
  out: Float32Array,
  at: number,
) => void;

function numericWriter(spec: FeatureSpec, f: NumericFeature, col: number): Writer {
  const get = sourceGetter(spec, f.source);
  numericFill(f); // fail at compile time, not per row
  const mean = f.scale?.mean ?? 0;
  const sd = f.scale?.sd ?? 1;
  return (values, derived, out, at) => {
    out[at + col] = (numericPrescale(f, get(values, derived)) - mean) / sd;
  };
}

function categoricalWriter(
  spec: FeatureSpec,
  c: FeatureSpec['categorical'][number],
  col: number,
): Writer {
  const get = sourceGetter(spec, c.source);
  const index = new Map(c.categories.map((cat, i) => [cat, i]));
  const other = c.unknown === 'other' ? c.categories.length : -1;
  return (values, derived, out, at) => {
    const cat = toCategory(get(values, derived));
    const i = cat === null ? other : (index.get(cat) ?? other);
    if (i >= 0) out[at + col + i] = 1;
  };
}

function binaryWriter(spec: FeatureSpec, b: BinaryFeature, col: number): Writer {
  const get = sourceGetter(spec, b.source);
  binaryFill(b);
  return (values, derived, out, at) => {
    out[at + col] = binaryValue(b, get(values, derived));
  };
}

interface Plan {
  readonly cols: number;
  readonly derive: (values: SurveyValues) => RawValue[];
  readonly writers: readonly Writer[];
}

const plans = new WeakMap<FeatureSpec, Plan>();

function compile(spec: FeatureSpec): Plan {
  const writers: Writer[] = [];
  let col = 0;
  for (const f of spec.numeric) writers.push(numericWriter(spec, f, col++));
  for (const c of spec.categorical) {
    writers.push(categoricalWriter(spec, c, col));
    col += c.categories.length + (c.unknown === 'other' ? 1 : 0);
  }
  for (const b of spec.binary) writers.push(binaryWriter(spec, b, col++));
  return { cols: col, derive: compileDerived(spec), writers };
}

/** Compiled plan of a spec, cached per spec object (treat specs as immutable). */
function planOf(spec: FeatureSpec): Plan {
  let plan = plans.get(spec);
  if (!plan) {
    plan = compile(spec);
    plans.set(spec, plan);
  }
  return plan;
}

function writeRow(plan: Plan, values: SurveyValues, out: Float32Array, at: number): void {
  const derived = plan.derive(values);
  for (const w of plan.writers) w(values, derived, out, at);
}

/**
 * Featurizes one survey with a fitted spec.
 * @returns a float32 row of length `featureNames(spec).length`; never contains NaN.
 */
export function featurize(spec: FeatureSpec, values: SurveyValues): Float32Array {
  const plan = planOf(spec);
  const out = new Float32Array(plan.cols);
  writeRow(plan, values, out, 0);
  return out;
}

/** Writes one survey's feature row into `out` at offset `at` (no allocation). Returns the width. */
export function featurizeInto(spec: FeatureSpec, values: SurveyValues, out: Float32Array, at: number): number {
  const plan = planOf(spec);
  out.fill(0, at, at + plan.cols);
  writeRow(plan, values, out, at);
  return plan.cols;
}

/** Number of model columns a spec produces. */
export function featureCount(spec: FeatureSpec): number {
  return planOf(spec).cols;
}

/** Featurizes many surveys into one row-major float32 matrix. */
export function featurizeBatch(spec: FeatureSpec, rows: readonly SurveyValues[]): FeatureMatrix {
  const plan = planOf(spec);
  const data = new Float32Array(rows.length * plan.cols);
  rows.forEach((values, r) => writeRow(plan, values, data, r * plan.cols));
  return { data, rows: rows.length, cols: plan.cols };
}
