/**
 * One regression tree of the GBDT, grown depth-first on binned data with histogram subtraction:
 * only the smaller child's histogram is built from rows; the larger one is parent − smaller.
 */
import type { BinMapper } from './binning.js';
import {
  buildHistogram,
  subtractHistogram,
  type HistLayout,
  type HistPool,
  type SlotMatrix,
} from './histogram.js';
import { findBestSplit, type SplitChoice, type SplitParams, type Sums } from './split.js';

/**
 * A tree as parallel node arrays (JSON-friendly). Node 0 is the root. For an internal node,
 * `x <= threshold` (float32) goes to `left`, NaN goes left iff `missingLeft`; a leaf has
 * `feature = -1` and its contribution (learning rate included, float32) in `value`.
 */
export interface Tree {
  readonly feature: number[];
  readonly threshold: number[];
  /** Training-time bin of the threshold (rows with bin in 1..binThreshold go left). */
  readonly binThreshold: number[];
  readonly left: number[];
  readonly right: number[];
  readonly missingLeft: boolean[];
  readonly value: number[];
  /** Split gain (0 for leaves). */
  readonly gain: number[];
  /** Training rows reaching the node. */
  readonly count: number[];
}

/** Tree-growing parameters. */
export interface TreeParams extends SplitParams {
  readonly maxDepth: number;
  readonly learningRate: number;
}

/** Everything a tree needs from the training run. */
export interface GrowContext {
  /** Row-major bins of all training rows (`bins[i * cols + f]`). */
  readonly bins: Uint8Array;
  /** Histogram slots of the same cells (see `slotMatrix`). */
  readonly slots: SlotMatrix;
  readonly cols: number;
  readonly mapper: BinMapper;
  readonly valueBinCounts: Int32Array;
  readonly layout: HistLayout;
  readonly pool: HistPool;
  readonly grad: Float64Array;
  readonly hess: Float64Array;
  /** Features in play for this tree (column subsample). */
  readonly feats: Int32Array;
  /** True when `feats` is every feature. */
  readonly allFeats: boolean;
  readonly params: TreeParams;
  /** Row indices of this tree's (sub)sample; reordered in place by partitioning. */
  readonly idx: Uint32Array;
  /** Scratch space, at least idx.length long. */
  readonly scratch: Uint32Array;
}

/** A leaf and the slice `idx[start..end)` of the sampled rows that reached it. */
export interface LeafRange {
  readonly value: number;
  readonly start: number;
  readonly end: number;
}

/** A grown tree and where the sampled rows ended up. */
export interface GrownTree {
  readonly tree: Tree;
  readonly leaves: LeafRange[];
}

function newTree(): Tree {
  return {
    feature: [],
    threshold: [],
    binThreshold: [],
    left: [],
    right: [],
    missingLeft: [],
    value: [],
    gain: [],
    count: [],
  };
}

function addLeaf(t: Tree, s: Sums, p: TreeParams): number {
  const id = t.feature.length;
  t.feature.push(-1);
  t.threshold.push(0);
  t.binThreshold.push(0);
  t.left.push(-1);
  t.right.push(-1);
  t.missingLeft.push(false);
  t.value.push(Math.fround((-s.g / (s.h + p.lambda)) * p.learningRate));
  t.gain.push(0);
  t.count.push(s.c);
  return id;
}

function setSplit(t: Tree, id: number, ctx: GrowContext, s: SplitChoice): void {
  t.feature[id] = s.feature;
  t.threshold[id] = ctx.mapper.edges[s.feature]![s.bin - 1]!;
  t.binThreshold[id] = s.bin;
  t.missingLeft[id] = s.missingLeft;
  t.value[id] = 0;
  t.gain[id] = s.gain;
}

/** Stable in-place partition of idx[start..end); returns the first index of the right part. */
function partition(ctx: GrowContext, start: number, end: number, s: SplitChoice): number {
  const { idx, scratch, bins, cols } = ctx;
  let l = start;
  let r = 0;
  for (let p = start; p < end; p++) {
    const i = idx[p]!;
    const b = bins[i * cols + s.feature]!;
    if (b === 0 ? s.missingLeft : b <= s.bin) idx[l++] = i;
    else scratch[r++] = i;
  }
  idx.set(scratch.subarray(0, r), l);
  return l;
}

function isLeaf(ctx: GrowContext, depth: number, s: Sums): boolean {
  const p = ctx.params;
  return depth >= p.maxDepth || s.c < 2 * p.minSamplesLeaf || s.h < 2 * p.minChildWeight;
}

/** Histograms of both children, or null for a child that will be a leaf anyway. */
function childHistograms(
  ctx: GrowContext,
  hist: Float64Array,
  range: { start: number; mid: number; end: number },
  leafL: boolean,
  leafR: boolean,
): [Float64Array | null, Float64Array | null] {
  if (leafL && leafR) {
    ctx.pool.release(hist);
    return [null, null];
  }
  const leftSmaller = range.mid - range.start <= range.end - range.mid;
  const small = ctx.pool.acquire();
  const rows = leftSmaller
    ? { idx: ctx.idx, start: range.start, end: range.mid }
    : { idx: ctx.idx, start: range.mid, end: range.end };
  buildHistogram(
    small,
    ctx.slots,
    ctx.cols,
    ctx.allFeats ? null : ctx.feats,
    rows,
    ctx.grad,
    ctx.hess,
  );
  subtractHistogram(hist, small);
  const [l, r] = leftSmaller ? [small, hist] : [hist, small];
  if (leafL) ctx.pool.release(l);
  if (leafR) ctx.pool.release(r);
  return [leafL ? null : l, leafR ? null : r];
}

function growNode(
  ctx: GrowContext,
  t: GrownTree,
  start: number,
  end: number,
  depth: number,
  hist: Float64Array | null,
  sums: Sums,
): number {
  const id = addLeaf(t.tree, sums, ctx.params);
  const split = hist
    ? findBestSplit(hist, ctx.layout, ctx.valueBinCounts, ctx.feats, sums, ctx.params)
    : null;
  if (!hist || !split) {
    if (hist) ctx.pool.release(hist);
    t.leaves.push({ value: t.tree.value[id]!, start, end });
    return id;
  }
  setSplit(t.tree, id, ctx, split);
  const mid = partition(ctx, start, end, split);
  const leafL = isLeaf(ctx, depth + 1, split.left);
  const leafR = isLeaf(ctx, depth + 1, split.right);
  const [hl, hr] = childHistograms(ctx, hist, { start, mid, end }, leafL, leafR);
  t.tree.left[id] = growNode(ctx, t, start, mid, depth + 1, hl, split.left);
  t.tree.right[id] = growNode(ctx, t, mid, end, depth + 1, hr, split.right);
  return id;
}

/** Grows one tree on `ctx.idx` (all of it). */
export function growTree(ctx: GrowContext): GrownTree {
  const t: GrownTree = { tree: newTree(), leaves: [] };
  const n = ctx.idx.length;
  let g = 0;
  let h = 0;
  for (let p = 0; p < n; p++) {
    const i = ctx.idx[p]!;
    g += ctx.grad[i]!;
    h += ctx.hess[i]!;
  }
  const sums = { g, h, c: n };
  let hist: Float64Array | null = null;
  if (!isLeaf(ctx, 0, sums)) {
    hist = ctx.pool.acquire();
    const all = { idx: ctx.idx, start: 0, end: n };
    buildHistogram(
      hist,
      ctx.slots,
      ctx.cols,
      ctx.allFeats ? null : ctx.feats,
      all,
      ctx.grad,
      ctx.hess,
    );
  }
  growNode(ctx, t, 0, n, 0, hist, sums);
  return t;
}

/** Leaf value for a row of a row-major binned matrix (binned with the training edges). */
export function treeValueBinned(t: Tree, bins: Uint8Array, cols: number, row: number): number {
  let node = 0;
  const base = row * cols;
  for (;;) {
    const f = t.feature[node]!;
    if (f < 0) return t.value[node]!;
    const b = bins[base + f]!;
    node = (b === 0 ? t.missingLeft[node] : b <= t.binThreshold[node]!)
      ? t.left[node]!
      : t.right[node]!;
  }
}

/** Leaf value for a raw float32 row, comparing `x <= threshold` exactly as ONNX BRANCH_LEQ does. */
export function treeValue(t: Tree, X: Float32Array, base: number): number {
  let node = 0;
  for (;;) {
    const f = t.feature[node]!;
    if (f < 0) return t.value[node]!;
    const x = X[base + f]!;
    node = (Number.isNaN(x) ? t.missingLeft[node] : x <= t.threshold[node]!)
      ? t.left[node]!
      : t.right[node]!;
  }
}
