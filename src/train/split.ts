/**
 * Best split of a node from its histogram: exact gain of the second-order (Newton) objective with
 * L2 regularisation, trying both directions for missing values.
 */
import type { HistLayout } from './histogram.js';

/** Sums of gradient, hessian and row count. */
export interface Sums {
  readonly g: number;
  readonly h: number;
  readonly c: number;
}

/** Constraints and regularisation for splits. */
export interface SplitParams {
  /** L2 penalty on leaf values. */
  readonly lambda: number;
  /** Minimum loss reduction to split. */
  readonly gamma: number;
  /** Minimum hessian sum per child. */
  readonly minChildWeight: number;
  /** Minimum rows per child. */
  readonly minSamplesLeaf: number;
}

/** A chosen split: rows with bin in 1..bin go left; missing (bin 0) goes left iff `missingLeft`. */
export interface SplitChoice {
  readonly feature: number;
  readonly bin: number;
  readonly missingLeft: boolean;
  readonly gain: number;
  readonly left: Sums;
  readonly right: Sums;
}

const score = (g: number, h: number, lambda: number): number => (g * g) / (h + lambda);

function allowed(p: SplitParams, lh: number, lc: number, rh: number, rc: number): boolean {
  return (
    lc >= p.minSamplesLeaf &&
    rc >= p.minSamplesLeaf &&
    lh >= p.minChildWeight &&
    rh >= p.minChildWeight
  );
}

function bestForFeature(
  hist: Float64Array,
  o: number,
  k: number,
  total: Sums,
  p: SplitParams,
  parentScore: number,
): Omit<SplitChoice, 'feature'> | null {
  const mg = hist[o]!;
  const mh = hist[o + 1]!;
  const mc = hist[o + 2]!;
  let best: Omit<SplitChoice, 'feature'> | null = null;
  let lg = 0;
  let lh = 0;
  let lc = 0;
  for (let b = 1; b < k; b++) {
    const s = o + 3 * b;
    // An empty bin gives the same partition as the previous threshold.
    if (hist[s + 2] === 0) continue;
    lg += hist[s]!;
    lh += hist[s + 1]!;
    lc += hist[s + 2]!;
    // Missing to the right, then (only if there are missing rows) to the left.
    for (let dir = 0; dir < (mc > 0 ? 2 : 1); dir++) {
      const gl = dir === 1 ? lg + mg : lg;
      const hl = dir === 1 ? lh + mh : lh;
      const cl = dir === 1 ? lc + mc : lc;
      const gr = total.g - gl;
      const hr = total.h - hl;
      const cr = total.c - cl;
      if (!allowed(p, hl, cl, hr, cr)) continue;
      const gain =
        0.5 * (score(gl, hl, p.lambda) + score(gr, hr, p.lambda) - parentScore) - p.gamma;
      if (gain > (best?.gain ?? 0)) {
        // Without missing rows in training, missing follows the bigger child at scoring time.
        const missingLeft = mc > 0 ? dir === 1 : cl >= cr;
        best = {
          bin: b,
          missingLeft,
          gain,
          left: { g: gl, h: hl, c: cl },
          right: { g: gr, h: hr, c: cr },
        };
      }
    }
  }
  return best;
}

/** Best split over `feats`, or null when no split has positive gain under the constraints. */
export function findBestSplit(
  hist: Float64Array,
  layout: HistLayout,
  valueBinCounts: Int32Array,
  feats: Int32Array,
  total: Sums,
  p: SplitParams,
): SplitChoice | null {
  const parentScore = score(total.g, total.h, p.lambda);
  let best: SplitChoice | null = null;
  for (const f of feats) {
    const cand = bestForFeature(
      hist,
      layout.offsets[f]!,
      valueBinCounts[f]!,
      total,
      p,
      parentScore,
    );
    if (cand && cand.gain > (best?.gain ?? 0)) best = { feature: f, ...cand };
  }
  return best;
}
