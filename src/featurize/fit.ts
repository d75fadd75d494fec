/**
 * `fitSpec` learns, from TRAINING rows only, everything a template leaves open: numeric medians,
 * binary modes, standardisation statistics and (when a template lists none) category lists.
 */
import type { SurveyValues } from '../domain/fields.js';
import { binaryValue, numericPrescale } from './featurize.js';
import { parseFeatureSpec, type FeatureSpec, type NumericFeature } from './schema.js';
import {
  compileDerived,
  numberOrMissing,
  sourceGetter,
  toCategory,
  type RawValue,
} from './sources.js';

/** Median of the finite values; 0 when there are none. */
export function median(values: Float64Array): number {
  const finite = values.filter((v) => !Number.isNaN(v)).sort();
  const n = finite.length;
  if (n === 0) return 0;
  const mid = n >> 1;
  return n % 2 === 1 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}

interface Collected {
  /** Raw numeric values per numeric feature, NaN = missing. */
  readonly numeric: Float64Array[];
  /** Raw source values per numeric feature (for re-running the prescale with the learned fill). */
  readonly numericRaw: RawValue[][];
  readonly categories: Map<string, number>[];
  readonly binaryCounts: { zeros: number; ones: number }[];
}

function collect(spec: FeatureSpec, rows: readonly SurveyValues[]): Collected {
  const derive = compileDerived(spec);
  const numGet = spec.numeric.map((f) => sourceGetter(spec, f.source));
  const catGet = spec.categorical.map((c) => sourceGetter(spec, c.source));
  const binGet = spec.binary.map((b) => sourceGetter(spec, b.source));
  const out: Collected = {
    numeric: spec.numeric.map(() => new Float64Array(rows.length)),
    numericRaw: spec.numeric.map(() => new Array<RawValue>(rows.length)),
    categories: spec.categorical.map(() => new Map<string, number>()),
    binaryCounts: spec.binary.map(() => ({ zeros: 0, ones: 0 })),
  };
  rows.forEach((values, r) => {
    const derived = derive(values);
    spec.numeric.forEach((f, k) => {
      const raw = numGet[k]!(values, derived);
      out.numericRaw[k]![r] = raw;
      out.numeric[k]![r] = numberOrMissing(raw, f.missingCodes) ?? Number.NaN;
    });
    catGet.forEach((g, k) => {
      const cat = toCategory(g(values, derived));
      if (cat !== null) out.categories[k]!.set(cat, (out.categories[k]!.get(cat) ?? 0) + 1);
    });
    spec.binary.forEach((b, k) => {
      const x = numberOrMissing(binGet[k]!(values, derived), b.missingCodes);
      if (x !== null) out.binaryCounts[k]![x > 0 ? 'ones' : 'zeros']++;
    });
  });
  return out;
}

function meanSd(values: readonly number[]): { mean: number; sd: number } {
  const n = values.length;
  if (n === 0) return { mean: 0, sd: 1 };
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  const sd = Math.sqrt(ss / n);
  // A constant column keeps sd 1 so it maps to 0 instead of dividing by zero.
  return { mean, sd: sd > 1e-12 ? sd : 1 };
}

function fitNumeric(
  f: NumericFeature,
  values: Float64Array,
  raw: readonly RawValue[],
  standardize: boolean,
): NumericFeature {
  const fitted: NumericFeature = { ...f, scale: undefined };
  if (f.impute === 'median') fitted.fill = median(values);
  if (!standardize) return stripUndefined(fitted);
  const pre = raw.map((v) => numericPrescale(fitted, v));
  return stripUndefined({ ...fitted, scale: meanSd(pre) });
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Category order used when learning categories: plain code-unit order, so it is locale-independent. */
function sortCategories(cats: Iterable<string>): string[] {
  return [...cats].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Learns imputation fills, scaling statistics and missing category lists from training rows.
 * @param template a spec (template or previously fitted); it is validated and not modified.
 * @param rows TRAINING rows only: statistics from validation/test rows would leak into evaluation.
 * @returns a new, fitted spec (`fittedRows` = rows.length).
 */
export function fitSpec(template: FeatureSpec, rows: readonly SurveyValues[]): FeatureSpec {
  const spec = parseFeatureSpec(structuredClone(template));
  const got = collect(spec, rows);
  const numeric = spec.numeric.map((f, k) =>
    fitNumeric(f, got.numeric[k]!, got.numericRaw[k]!, spec.standardize),
  );
  const categorical = spec.categorical.map((c, k) =>
    c.categories.length > 0 ? c : { ...c, categories: sortCategories(got.categories[k]!.keys()) },
  );
  const binary = spec.binary.map((b, k) => {
    if (b.impute !== 'mode') return b;
    const { zeros, ones } = got.binaryCounts[k]!;
    return { ...b, fill: ones > zeros ? 1 : 0 };
  });
  const fitted = { ...spec, numeric, categorical, binary, fittedRows: rows.length };
  // Sanity: a fitted spec can featurize a row (throws SpecNotFittedError otherwise).
  for (const b of fitted.binary) binaryValue(b, null);
  return parseFeatureSpec(fitted);
}
