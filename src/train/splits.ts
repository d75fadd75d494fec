/**
 * Train/validation/test splits: stratified random (seeded) and time-based (by a sortable date key).
 */
import { createRng, shuffleInPlace } from './random.js';

/** Row indices of each part, ascending. */
export interface SplitIndices {
  readonly train: Uint32Array;
  readonly valid: Uint32Array;
  readonly test: Uint32Array;
}

/** Shares of rows for the held-out parts; the rest is training. */
export interface StratifiedSplitOptions {
  /** Share of rows in the test part, in (0, 1). */
  readonly test: number;
  /** Share of rows in the validation part. @default 0 */
  readonly valid?: number;
  readonly seed: number;
}

function sorted(a: number[]): Uint32Array {
  return Uint32Array.from(a).sort();
}

function checkShares(test: number, valid: number): void {
  if (!(test >= 0 && valid >= 0 && test + valid < 1)) {
    throw new RangeError(`split shares must be >= 0 and sum to < 1 (test ${test}, valid ${valid})`);
  }
}

/**
 * Stratified random split: each class is shuffled (seeded) and cut in the same proportions, so
 * every part keeps the class balance (to within one row per class).
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  opts: StratifiedSplitOptions,
): SplitIndices {
  const valid = opts.valid ?? 0;
  checkShares(opts.test, valid);
  const rng = createRng(opts.seed);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const k = labels[i]!;
    let list = byClass.get(k);
    if (!list) byClass.set(k, (list = []));
    list.push(i);
  }
  const parts = { train: [] as number[], valid: [] as number[], test: [] as number[] };
  for (const key of [...byClass.keys()].sort((a, b) => a - b)) {
    const idx = shuffleInPlace(Uint32Array.from(byClass.get(key)!), rng);
    const nTest = Math.round(idx.length * opts.test);
    const nValid = Math.round(idx.length * valid);
    idx.forEach((i, k) => {
      (k < nTest ? parts.test : k < nTest + nValid ? parts.valid : parts.train).push(i);
    });
  }
  return { train: sorted(parts.train), valid: sorted(parts.valid), test: sorted(parts.test) };
}

/** A time split either by shares of the time-ordered rows or at explicit cut-over keys. */
export type TimeSplitOptions =
  | { readonly test: number; readonly valid?: number }
  | { readonly testFrom: string; readonly validFrom?: string };

/** A time split with the key range of each part (ISO strings; null for an empty part). */
export interface TimeSplit extends SplitIndices {
  readonly ranges: Record<'train' | 'valid' | 'test', { from: string; to: string } | null>;
}

function rangeOf(keys: readonly string[], idx: Uint32Array): { from: string; to: string } | null {
  if (idx.length === 0) return null;
  let from = keys[idx[0]!]!;
  let to = from;
  for (const i of idx) {
    const k = keys[i]!;
    if (k < from) from = k;
    if (k > to) to = k;
  }
  return { from, to };
}

function cutKeys(
  keys: readonly string[],
  opts: TimeSplitOptions,
): { validFrom: string; testFrom: string } {
  if ('testFrom' in opts)
    return { validFrom: opts.validFrom ?? opts.testFrom, testFrom: opts.testFrom };
  const valid = opts.valid ?? 0;
  checkShares(opts.test, valid);
  const order = [...keys].sort();
  const n = order.length;
  const at = (share: number): string =>
    order[Math.min(n - 1, Math.max(0, n - Math.round(n * share)))] ?? '';
  return { validFrom: at(opts.test + valid), testFrom: at(opts.test) };
}

/**
 * Time-based split on a sortable key per row (ISO-8601 dates or timestamps): rows with
 * key < validFrom train, validFrom <= key < testFrom validate, key >= testFrom test. Rows that
 * share a key never straddle parts, so share-based cuts are approximate.
 */
export function timeSplit(keys: readonly string[], opts: TimeSplitOptions): TimeSplit {
  const { validFrom, testFrom } = cutKeys(keys, opts);
  const parts = { train: [] as number[], valid: [] as number[], test: [] as number[] };
  keys.forEach((k, i) => {
    if (k >= testFrom) parts.test.push(i);
    else if (k >= validFrom) parts.valid.push(i);
    else parts.train.push(i);
  });
  const split = {
    train: sorted(parts.train),
    valid: sorted(parts.valid),
    test: sorted(parts.test),
  };
  return {
    ...split,
    ranges: {
      train: rangeOf(keys, split.train),
      valid: rangeOf(keys, split.valid),
      test: rangeOf(keys, split.test),
    },
  };
}
