import { describe, expect, it } from 'vitest';
import { binMatrix, fitBins } from '../../../src/train/index.js';

describe('fitBins', () => {
  it('gives each distinct value its own bin when there are few', () => {
    const X = Float32Array.of(0, 1, 1, 0, 2, Number.NaN);
    const m = fitBins(X, 6, 1);
    expect(Array.from(m.edges[0]!)).toEqual([0, 1, 2]);
    expect(Array.from(binMatrix(m, X, 6, 1))).toEqual([1, 2, 2, 1, 3, 0]);
  });

  it('caps continuous features at maxBins quantile bins with float32 edges', () => {
    const n = 10_000;
    const X = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 1000);
    const m = fitBins(X, n, 1, 255);
    const e = m.edges[0]!;
    expect(e.length).toBeLessThanOrEqual(255);
    expect(e[e.length - 1]).toBe(Math.max(...X));
    const bins = binMatrix(m, X, n, 1);
    const counts = new Map<number, number>();
    bins.forEach((b) => counts.set(b, (counts.get(b) ?? 0) + 1));
    expect(Math.max(...counts.values())).toBeLessThan((3 * n) / 255);
    // bin <= b  ⇔  x <= edges[b-1], the property ONNX BRANCH_LEQ relies on
    for (let i = 0; i < n; i += 97) {
      for (const b of [1, 50, 200]) expect(bins[i]! <= b).toBe(X[i]! <= e[b - 1]!);
    }
  });
});
