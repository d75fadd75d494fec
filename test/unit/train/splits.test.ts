import { describe, expect, it } from 'vitest';
import { stratifiedSplit, timeSplit } from '../../../src/train/index.js';

const labels = Array.from({ length: 1000 }, (_, i) => (i % 10 < 3 ? 1 : 0));
const share = (idx: Uint32Array): number =>
  Array.from(idx).filter((i) => labels[i] === 1).length / idx.length;

describe('stratifiedSplit', () => {
  it('keeps class balance in every part and covers all rows once', () => {
    const s = stratifiedSplit(labels, { test: 0.2, valid: 0.1, seed: 42 });
    expect(s.test.length).toBe(200);
    expect(s.valid.length).toBe(100);
    expect(s.train.length).toBe(700);
    for (const part of [s.train, s.valid, s.test]) expect(share(part)).toBeCloseTo(0.3, 2);
    const all = [...s.train, ...s.valid, ...s.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('is deterministic by seed', () => {
    expect(stratifiedSplit(labels, { test: 0.2, seed: 1 })).toEqual(
      stratifiedSplit(labels, { test: 0.2, seed: 1 }),
    );
    expect(stratifiedSplit(labels, { test: 0.2, seed: 1 }).test).not.toEqual(
      stratifiedSplit(labels, { test: 0.2, seed: 2 }).test,
    );
  });

  it('rejects impossible shares', () => {
    expect(() => stratifiedSplit(labels, { test: 0.8, valid: 0.3, seed: 1 })).toThrow(RangeError);
  });
});

describe('timeSplit', () => {
  const days = Array.from(
    { length: 100 },
    (_, i) => `2025-01-${String((i % 30) + 1).padStart(2, '0')}`,
  );

  it('splits at explicit cut-over dates', () => {
    const s = timeSplit(days, { validFrom: '2025-01-21', testFrom: '2025-01-26' });
    expect(Array.from(s.train).every((i) => days[i]! < '2025-01-21')).toBe(true);
    expect(Array.from(s.test).every((i) => days[i]! >= '2025-01-26')).toBe(true);
    expect(s.ranges.train).toEqual({ from: '2025-01-01', to: '2025-01-20' });
    expect(s.ranges.valid).toEqual({ from: '2025-01-21', to: '2025-01-25' });
    expect(s.ranges.test).toEqual({ from: '2025-01-26', to: '2025-01-30' });
  });

  it('splits by shares of the time-ordered rows, keeping equal keys together', () => {
    const keys = Array.from(
      { length: 100 },
      (_, i) => `2025-02-${String(Math.floor(i / 10) + 10)}`,
    );
    const s = timeSplit(keys, { test: 0.2, valid: 0.1 });
    expect(s.test.length).toBe(20);
    expect(s.valid.length).toBe(10);
    expect(s.ranges.test!.from > s.ranges.valid!.to).toBe(true);
    expect(s.ranges.valid!.from > s.ranges.train!.to).toBe(true);
  });
});
