/**
 * Gradient/hessian/count histograms over binned rows. Layout: feature f owns the slots
 * `offsets[f] + 3*b + {0: grad, 1: hess, 2: count}` for bins b = 0 (missing) .. k_f.
 */
import { valueBins, type BinMapper } from './binning.js';

/** Histogram layout shared by every node of a training run. */
export interface HistLayout {
  readonly offsets: Int32Array;
  readonly size: number;
}

/** Computes the slot offsets of each feature. */
export function histLayout(mapper: BinMapper, cols: number): HistLayout {
  const offsets = new Int32Array(cols);
  let size = 0;
  for (let f = 0; f < cols; f++) {
    offsets[f] = size;
    size += (valueBins(mapper, f) + 1) * 3;
  }
  return { offsets, size };
}

/** The rows of a node: `idx[start..end)`, and the features in play for this tree. */
export interface NodeRows {
  readonly idx: Uint32Array;
  readonly start: number;
  readonly end: number;
}

/** Per-cell histogram slot `offsets[f] + 3 * bin`, row-major: one load per cell when building histograms. */
export type SlotMatrix = Uint16Array | Uint32Array;

/** Precomputes the slot of every cell of a row-major binned matrix. */
export function slotMatrix(layout: HistLayout, bins: Uint8Array, cols: number): SlotMatrix {
  const out = layout.size <= 0xffff ? new Uint16Array(bins.length) : new Uint32Array(bins.length);
  const { offsets } = layout;
  for (let k = 0; k < bins.length; k++) out[k] = offsets[k % cols]! + 3 * bins[k]!;
  return out;
}

/**
 * Adds the node rows' gradients into `hist` (which must be zeroed), for the features in `feats`
 * (`null` = all). Row-major slots keep one row's cells in one cache line, which beats a
 * column-major gather once nodes hold scattered subsets of rows.
 */
export function buildHistogram(
  hist: Float64Array,
  slots: SlotMatrix,
  cols: number,
  feats: Int32Array | null,
  rows: NodeRows,
  grad: Float64Array,
  hess: Float64Array,
): void {
  const { idx, start, end } = rows;
  if (feats) {
    buildSubset(hist, slots, cols, feats, rows, grad, hess);
    return;
  }
  for (let p = start; p < end; p++) {
    const i = idx[p]!;
    const g = grad[i]!;
    const h = hess[i]!;
    const base = i * cols;
    for (let k = base; k < base + cols; k++) {
      const o = slots[k]!;
      hist[o] = hist[o]! + g;
      hist[o + 1] = hist[o + 1]! + h;
      hist[o + 2] = hist[o + 2]! + 1;
    }
  }
}

function buildSubset(
  hist: Float64Array,
  slots: SlotMatrix,
  cols: number,
  feats: Int32Array,
  rows: NodeRows,
  grad: Float64Array,
  hess: Float64Array,
): void {
  const { idx, start, end } = rows;
  const nf = feats.length;
  for (let p = start; p < end; p++) {
    const i = idx[p]!;
    const g = grad[i]!;
    const h = hess[i]!;
    const base = i * cols;
    for (let k = 0; k < nf; k++) {
      const o = slots[base + feats[k]!]!;
      hist[o] = hist[o]! + g;
      hist[o + 1] = hist[o + 1]! + h;
      hist[o + 2] = hist[o + 2]! + 1;
    }
  }
}

/** The subtraction trick: `parent -= child` turns the parent's histogram into the sibling's. */
export function subtractHistogram(parent: Float64Array, child: Float64Array): void {
  for (let i = 0; i < parent.length; i++) parent[i] = parent[i]! - child[i]!;
}

/** A tiny free-list of histogram buffers, so growing a tree allocates almost nothing. */
export class HistPool {
  private readonly free: Float64Array[] = [];
  private readonly size: number;

  constructor(size: number) {
    this.size = size;
  }

  /** A zeroed buffer. */
  acquire(): Float64Array {
    const h = this.free.pop();
    if (!h) return new Float64Array(this.size);
    h.fill(0);
    return h;
  }

  release(h: Float64Array): void {
    this.free.push(h);
  }
}
