/**
 * Quantile binning for the histogram GBDT. Bin 0 holds missing values (NaN); value bins are
 * 1..k with upper edges `edges[0..k-1]` (right-closed: bin b holds edges[b-2] < x <= edges[b-1]).
 * Edges are actual float32 data values, so the split "bin <= b" equals "x <= edges[b-1]" exactly
 * in float32, the comparison ONNX TreeEnsemble makes.
 */
import { createRng, sampleIndices } from './random.js';

/** Per-feature bin edges learned from training data. */
export interface BinMapper {
  /** Upper edges of the value bins, ascending, float32-exact. */
  readonly edges: readonly Float32Array[];
}

/** Number of value bins of a feature (excluding the missing bin 0). */
export function valueBins(mapper: BinMapper, f: number): number {
  return mapper.edges[f]!.length;
}

/** Distinct values of an ascending array (compacted in place). */
function distinctSorted(values: Float32Array): Float32Array {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    if (i === 0 || values[i] !== values[m - 1]) values[m++] = values[i]!;
  }
  return values.slice(0, m);
}

function quantileEdges(sorted: Float32Array, maxBins: number): Float32Array {
  const out: number[] = [];
  const n = sorted.length;
  for (let q = 1; q <= maxBins; q++) {
    const v = sorted[Math.min(n - 1, Math.ceil((q * n) / maxBins) - 1)]!;
    if (out.length === 0 || v > out[out.length - 1]!) out.push(v);
  }
  return Float32Array.from(out);
}

/** Distinct non-NaN values when there are at most `limit` of them (cheap for coded columns), else null. */
function fewDistinct(column: Float32Array, limit: number): Float32Array | null {
  const seen = new Set<number>();
  for (const v of column) {
    if (Number.isNaN(v) || seen.has(v)) continue;
    seen.add(v);
    if (seen.size > limit) return null;
  }
  return Float32Array.from(seen).sort();
}

function featureEdges(column: Float32Array, maxBins: number): Float32Array {
  const few = fewDistinct(column, maxBins);
  if (few) return few.length > 0 ? few : new Float32Array([0]);
  const present = column.filter((v) => !Number.isNaN(v)).sort();
  const distinct = distinctSorted(present.slice());
  return distinct.length <= maxBins ? distinct : quantileEdges(present, maxBins);
}

/**
 * Learns bin edges per feature from (a sample of) the rows.
 * @param maxBins value bins per feature (≤ 255, so a bin index fits a byte with the missing bin).
 * @param sampleRows rows used to find quantiles (all rows when fewer).
 */
export function fitBins(
  X: Float32Array,
  rows: number,
  cols: number,
  maxBins = 255,
  sampleRows = 200_000,
  seed = 0,
): BinMapper {
  if (maxBins < 2 || maxBins > 255) throw new RangeError('maxBins must be in [2, 255]');
  const idx = rows > sampleRows ? sampleIndices(rows, sampleRows, createRng(seed)) : null;
  const m = idx ? idx.length : rows;
  const column = new Float32Array(m);
  const edges: Float32Array[] = [];
  for (let f = 0; f < cols; f++) {
    for (let k = 0; k < m; k++) column[k] = X[(idx ? idx[k]! : k) * cols + f]!;
    edges.push(featureEdges(column, maxBins));
  }
  return { edges };
}

/** Bin of one value: 0 for NaN, else 1 + the first edge index with x <= edge (values above the last edge go to the last bin). */
export function binOf(edges: Float32Array, x: number): number {
  if (Number.isNaN(x)) return 0;
  let lo = 0;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo + 1;
}

/** Bins a whole matrix, row-major like X (one byte per cell). */
export function binMatrix(
  mapper: BinMapper,
  X: Float32Array,
  rows: number,
  cols: number,
): Uint8Array {
  const out = new Uint8Array(rows * cols);
  for (let f = 0; f < cols; f++) {
    const e = mapper.edges[f]!;
    for (let r = 0; r < rows; r++) out[r * cols + f] = binOf(e, X[r * cols + f]!);
  }
  return out;
}
