/**
 * Featurizes a window's surveys with the champion card's fitted spec and counts each model feature
 * into the card's reference bins (numeric: the reference decile edges; categorical and binary: the
 * reference categories). The counts are what `feature_windows` stores: plain sums, so windows and
 * contributors merge by addition.
 */
import type { SurveyValues } from '../domain/fields.js';
import { featurizeBatch, OTHER_CATEGORY, type FeatureSpec } from '../featurize/index.js';
import { referenceBin, UNKNOWN_CATEGORY, type FeatureReference, type ModelCard } from '../model/index.js';

/** Counts of one feature in one window, aligned with its reference bins. */
export interface FeatureCounts {
  readonly feature: string;
  readonly kind: 'numeric' | 'categorical';
  /** Bin labels: the bin index for numeric features, the category for categorical ones. */
  readonly bins: readonly string[];
  readonly counts: number[];
  /** Sum of the feature's values per bin (numeric; zeros for categorical). */
  readonly sums: number[];
}

function emptyCounts(ref: FeatureReference): FeatureCounts {
  const bins =
    ref.kind === 'numeric'
      ? Array.from({ length: Math.max(1, ref.edges.length - 1) }, (_, i) => String(i))
      : [...ref.categories];
  return { feature: ref.name, kind: ref.kind, bins, counts: bins.map(() => 0), sums: bins.map(() => 0) };
}

/** Column blocks of the featurized matrix, in `featureNames` order, per spec feature. */
function layout(spec: FeatureSpec): { name: string; first: number; cats?: string[] }[] {
  const out: { name: string; first: number; cats?: string[] }[] = [];
  let c = 0;
  for (const f of spec.numeric) out.push({ name: f.name, first: c++ });
  for (const f of spec.categorical) {
    const cats = [...f.categories, ...(f.unknown === 'other' ? [OTHER_CATEGORY] : [])];
    out.push({ name: f.name, first: c, cats });
    c += cats.length;
  }
  for (const f of spec.binary) out.push({ name: f.name, first: c++, cats: [] });
  return out;
}

function categoryOf(row: Float32Array, first: number, cats: readonly string[]): string {
  if (cats.length === 0) return row[first]! > 0 ? '1' : '0';
  const k = cats.findIndex((_, j) => row[first + j] === 1);
  return k < 0 ? UNKNOWN_CATEGORY : cats[k]!;
}

/**
 * Bin counts of every reference feature of `card` over `rows` (raw survey values, as stored in
 * `surveys`). Features of the spec without a reference are skipped.
 */
export function countFeatures(card: ModelCard, rows: readonly SurveyValues[]): FeatureCounts[] {
  const refs = new Map(card.reference.features.map((r) => [r.name, r]));
  const m = featurizeBatch(card.feature_spec, rows);
  const result: FeatureCounts[] = [];
  for (const block of layout(card.feature_spec)) {
    const ref = refs.get(block.name);
    if (!ref) continue;
    const acc = emptyCounts(ref);
    for (let r = 0; r < m.rows; r++) {
      const row = m.data.subarray(r * m.cols, (r + 1) * m.cols);
      if (ref.kind === 'numeric') {
        const x = row[block.first]!;
        const b = referenceBin(ref.edges, x);
        acc.counts[b]! += 1;
        acc.sums[b]! += x;
      } else {
        const b = acc.bins.indexOf(categoryOf(row, block.first, block.cats ?? []));
        if (b >= 0) acc.counts[b]! += 1;
      }
    }
    result.push(acc);
  }
  return result;
}

/** Counts of a numeric value set (e.g. the scores) in reference bins. */
export function countNumeric(ref: FeatureReference, values: ArrayLike<number>): FeatureCounts {
  const acc = emptyCounts(ref);
  if (ref.kind !== 'numeric') return acc;
  for (const x of Array.from(values)) {
    const b = referenceBin(ref.edges, x);
    acc.counts[b]! += 1;
    acc.sums[b]! += x;
  }
  return acc;
}
