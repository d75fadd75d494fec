/**
 * Reference distributions for drift monitoring, computed on MODEL-COLUMN values (after
 * imputation, transform and scaling), i.e. exactly what the scorer sees. Numeric features get
 * 10 quantile bins (edges + proportions), mean/sd and a sample of up to 1000 values; categorical
 * and binary features get category proportions.
 */
import { z } from 'zod';
import { featureNames, OTHER_CATEGORY, type FeatureSpec } from '../featurize/index.js';
import { createRng } from '../train/index.js';

/** Share of a categorical whose value matched no category (`unknown: 'ignore'` rows are all-zero). */
export const UNKNOWN_CATEGORY = '__unknown__';

/** Reference distribution of a numeric feature (or the score). */
export const NumericReferenceSchema = z.object({
  kind: z.literal('numeric'),
  name: z.string(),
  count: z.number().int().nonnegative(),
  mean: z.number(),
  sd: z.number(),
  min: z.number(),
  max: z.number(),
  /** Distinct ascending quantile edges (deciles; ties merged). Bin 0 is [e0, e1], bin i is (e_i, e_{i+1}]. */
  edges: z.array(z.number()),
  /** Share of reference values per bin (edges.length − 1 entries). */
  proportions: z.array(z.number()),
  /** Up to 1000 values sampled without replacement (seeded). */
  sample: z.array(z.number()),
});
/** Numeric reference distribution. */
export type NumericReference = z.infer<typeof NumericReferenceSchema>;

/** Reference distribution of a categorical or binary feature. */
export const CategoricalReferenceSchema = z.object({
  kind: z.literal('categorical'),
  name: z.string(),
  count: z.number().int().nonnegative(),
  categories: z.array(z.string()),
  proportions: z.array(z.number()),
});
/** Categorical reference distribution. */
export type CategoricalReference = z.infer<typeof CategoricalReferenceSchema>;

/** Reference distribution of one feature. */
export const FeatureReferenceSchema = z.discriminatedUnion('kind', [
  NumericReferenceSchema,
  CategoricalReferenceSchema,
]);
/** Reference distribution of one feature. */
export type FeatureReference = z.infer<typeof FeatureReferenceSchema>;

const SAMPLE_SIZE = 1000;
const BINS = 10;

function quantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Bin index of a value for {@link NumericReference} edges (values outside go to the end bins). */
export function referenceBin(edges: readonly number[], x: number): number {
  let b = 0;
  while (b < edges.length - 2 && x > edges[b + 1]!) b++;
  return b;
}

/** Numeric reference of a set of values. */
export function numericReference(
  name: string,
  values: ArrayLike<number>,
  seed = 1,
): NumericReference {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0)
    return {
      kind: 'numeric',
      name,
      count: 0,
      mean: 0,
      sd: 0,
      min: 0,
      max: 0,
      edges: [],
      proportions: [],
      sample: [],
    };
  const mean = sorted.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(sorted.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  const edges = [
    ...new Set(Array.from({ length: BINS + 1 }, (_, i) => quantile(sorted, i / BINS))),
  ];
  const counts = new Array<number>(Math.max(1, edges.length - 1)).fill(0);
  for (const x of sorted) counts[referenceBin(edges, x)]!++;
  const rng = createRng(seed);
  const sample = Array.from(sorted);
  for (let i = 0; i < Math.min(SAMPLE_SIZE, n); i++) {
    const j = i + Math.floor(rng() * (n - i));
    [sample[i], sample[j]] = [sample[j]!, sample[i]!];
  }
  return {
    kind: 'numeric',
    name,
    count: n,
    mean,
    sd,
    min: sorted[0]!,
    max: sorted[n - 1]!,
    edges,
    proportions: counts.map((c) => c / n),
    sample: sample.slice(0, SAMPLE_SIZE).map(Math.fround),
  };
}

/** Categorical reference from per-row labels. */
export function categoricalReference(
  name: string,
  labels: readonly string[],
  categories: readonly string[],
): CategoricalReference {
  const counts = new Map(categories.map((c) => [c, 0]));
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const cats = [...counts.keys()];
  const n = labels.length;
  return {
    kind: 'categorical',
    name,
    count: n,
    categories: cats,
    proportions: cats.map((c) => (n ? counts.get(c)! / n : 0)),
  };
}

function column(X: Float32Array, rows: number, cols: number, c: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = X[r * cols + c]!;
  return out;
}

function oneHotLabels(
  X: Float32Array,
  rows: number,
  cols: number,
  first: number,
  cats: readonly string[],
): string[] {
  const labels: string[] = [];
  for (let r = 0; r < rows; r++) {
    const k = cats.findIndex((_, j) => X[r * cols + first + j] === 1);
    labels.push(k < 0 ? UNKNOWN_CATEGORY : cats[k]!);
  }
  return labels;
}

/**
 * Reference distribution of every spec feature, from a featurized matrix (`featurizeBatch` output).
 * One-hot blocks are folded back into one categorical reference per categorical feature.
 */
export function featureReferences(
  spec: FeatureSpec,
  X: Float32Array,
  rows: number,
  cols: number,
): FeatureReference[] {
  if (featureNames(spec).length !== cols)
    throw new RangeError('matrix width does not match the spec');
  const refs: FeatureReference[] = [];
  let c = 0;
  for (const f of spec.numeric) refs.push(numericReference(f.name, column(X, rows, cols, c++)));
  for (const f of spec.categorical) {
    const cats = [...f.categories, ...(f.unknown === 'other' ? [OTHER_CATEGORY] : [])];
    const labels = oneHotLabels(X, rows, cols, c, cats);
    refs.push(
      categoricalReference(
        f.name,
        labels,
        f.unknown === 'ignore' ? [...cats, UNKNOWN_CATEGORY] : cats,
      ),
    );
    c += cats.length;
  }
  for (const f of spec.binary) {
    const labels = Array.from(column(X, rows, cols, c++), (v) => (v > 0 ? '1' : '0'));
    refs.push(categoricalReference(f.name, labels, ['0', '1']));
  }
  return refs;
}
