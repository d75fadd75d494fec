/**
 * Distribution distances on binned counts (pure functions, no I/O). Every statistic compares a
 * window's counts with a reference's proportions over the same bins, so it can be computed from
 * mergeable ClickHouse aggregates (bin counts summed over any number of contributors).
 */

/** Laplace-style smoothing added to every bin share before logs are taken (PSI, JS). */
export const SHARE_EPSILON = 1e-4;

function shares(counts: readonly number[]): number[] {
  const n = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (n > 0 ? c / n : 0));
}

function smooth(p: readonly number[]): number[] {
  const q = p.map((x) => x + SHARE_EPSILON);
  const s = q.reduce((a, b) => a + b, 0);
  return q.map((x) => x / s);
}

/**
 * Population stability index of window counts against reference proportions, with every share
 * smoothed by {@link SHARE_EPSILON} (an empty bin would otherwise give an infinite PSI).
 */
export function psi(refProportions: readonly number[], counts: readonly number[]): number {
  const p = smooth(refProportions);
  const q = smooth(shares(counts));
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += (q[i]! - p[i]!) * Math.log(q[i]! / p[i]!);
  return sum;
}

/**
 * Kolmogorov-Smirnov distance evaluated at the bin edges: max |F_ref − F_window| over the
 * cumulative shares. A lower bound of the exact two-sample D (exact when bins are fine).
 */
export function ksBinned(refProportions: readonly number[], counts: readonly number[]): number {
  const q = shares(counts);
  let fp = 0;
  let fq = 0;
  let d = 0;
  for (let i = 0; i < refProportions.length; i++) {
    fp += refProportions[i]!;
    fq += q[i] ?? 0;
    d = Math.max(d, Math.abs(fp - fq));
  }
  return d;
}

/** Jensen-Shannon divergence in bits (0 = identical, 1 = disjoint), smoothed shares. */
export function jensenShannon(refProportions: readonly number[], counts: readonly number[]): number {
  const p = smooth(refProportions);
  const q = smooth(shares(counts));
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i]! + q[i]!) / 2;
    sum += 0.5 * p[i]! * Math.log2(p[i]! / m) + 0.5 * q[i]! * Math.log2(q[i]! / m);
  }
  return Math.max(0, sum);
}

/** Share of window rows in categories the reference never saw (reference share 0). */
export function newCategoryShare(refProportions: readonly number[], counts: readonly number[]): number {
  const n = counts.reduce((a, b) => a + b, 0);
  if (n === 0) return 0;
  let unseen = 0;
  counts.forEach((c, i) => {
    if ((refProportions[i] ?? 0) === 0) unseen += c;
  });
  return unseen / n;
}

/**
 * Number of reference categories that should have appeared (expected count ≥ 5 in this window)
 * but are absent from it.
 */
export function missingCategories(refProportions: readonly number[], counts: readonly number[]): number {
  const n = counts.reduce((a, b) => a + b, 0);
  return refProportions.filter((p, i) => p * n >= 5 && (counts[i] ?? 0) === 0).length;
}

/** |mean_window − mean_ref| / sd_ref (0 when the reference has no spread). */
export function meanShiftSd(refMean: number, refSd: number, windowMean: number): number {
  return refSd > 0 ? Math.abs(windowMean - refMean) / refSd : 0;
}
