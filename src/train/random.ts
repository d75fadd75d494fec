/**
 * Small seeded PRNG utilities (mulberry32): deterministic splits, subsampling and shuffles.
 */

/** A seeded generator of uniform floats in [0, 1). */
export type Rng = () => number;

/** Creates a mulberry32 generator from a 32-bit seed. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform integer in [0, n). */
export function randInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** Fisher–Yates shuffle in place. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(
  a: T,
  rng: Rng,
): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = randInt(rng, i + 1);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a;
}

/** `k` distinct indices of [0, n), sorted ascending (partial Fisher–Yates). */
export function sampleIndices(n: number, k: number, rng: Rng): Uint32Array {
  const all = new Uint32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const m = Math.min(k, n);
  for (let i = 0; i < m; i++) {
    const j = i + randInt(rng, n - i);
    const t = all[i]!;
    all[i] = all[j]!;
    all[j] = t;
  }
  return all.subarray(0, m).sort();
}
