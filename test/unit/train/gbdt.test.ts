import { describe, expect, it } from 'vitest';
import {
  featureImportances,
  gbdtPredictRaw,
  predictProba,
  rocAuc,
  trainGbdt,
  trainLogistic,
  type Dataset,
} from '../../../src/train/index.js';
import { makeDataset, ringRule, xorRule } from './data.js';

const auc = (m: Parameters<typeof predictProba>[0], d: Dataset): number =>
  rocAuc(d.y, predictProba(m, d.X, d.rows, d.cols));

describe('trainGbdt', () => {
  it('learns a separable nonlinear problem (AUC > 0.95)', () => {
    const train = makeDataset(4000, 6, 1, ringRule(0));
    const test = makeDataset(2000, 6, 2, ringRule(0));
    const m = trainGbdt(train, { nEstimators: 150, maxDepth: 4, earlyStoppingRounds: 0 });
    expect(auc(m, test)).toBeGreaterThan(0.95);
  });

  it('beats logistic regression on a noisy interaction problem', () => {
    const train = makeDataset(4000, 5, 3, xorRule(0.4));
    const test = makeDataset(2000, 5, 4, xorRule(0.4));
    const g = auc(trainGbdt(train, { nEstimators: 100, maxDepth: 3 }), test);
    const l = auc(trainLogistic(train), test);
    expect(g).toBeGreaterThan(0.85);
    expect(l).toBeLessThan(0.6);
  });

  it('stops early when validation loss stops improving and keeps the best iteration', () => {
    const train = makeDataset(1500, 5, 5, xorRule(2));
    const m = trainGbdt(train, { nEstimators: 500, learningRate: 0.3, earlyStoppingRounds: 5 });
    expect(m.trees.length).toBeLessThan(500);
    expect(m.stoppedEarly).toBe(true);
    expect(m.validLoss.length).toBe(m.trees.length + 5);
    const best = Math.min(...m.validLoss);
    expect(m.validLoss[m.trees.length - 1]).toBe(best);
  });

  it('uses an explicit validation set and can run without early stopping', () => {
    const train = makeDataset(1000, 4, 12, ringRule(0.5));
    const valid = makeDataset(500, 4, 13, ringRule(0.5));
    const fixed = trainGbdt(train, { nEstimators: 15, earlyStoppingRounds: 0 }, valid);
    expect(fixed.trees).toHaveLength(15);
    expect(fixed.validLoss).toHaveLength(15);
    expect(fixed.stoppedEarly).toBe(false);
  });

  it('rejects invalid parameters and labels', () => {
    const d = makeDataset(100, 2, 14, ringRule(0));
    expect(() => trainGbdt(d, { nEstimators: 0 })).toThrow(RangeError);
    expect(() => trainGbdt(d, { subsample: 1.5 })).toThrow(RangeError);
    expect(() => trainGbdt({ ...d, y: new Uint8Array(100).fill(2) })).toThrow(/not 0 or 1/);
  });

  it('is deterministic for a seed, with subsampling', () => {
    const train = makeDataset(2000, 6, 6, ringRule(0.5));
    const opts = { nEstimators: 30, subsample: 0.7, colsample: 0.5, seed: 9 };
    expect(trainGbdt(train, opts)).toEqual(trainGbdt(train, opts));
    expect(trainGbdt(train, opts)).not.toEqual(trainGbdt(train, { ...opts, seed: 10 }));
  });

  it('handles NaN as missing with a learned default direction', () => {
    const train = makeDataset(3000, 3, 7, (x, b) => (x[b]! > 0.3 ? 1 : -1));
    // Missing values of feature 0 belong to the positive class.
    for (let r = 0; r < train.rows; r += 5) {
      train.X[r * 3] = Number.NaN;
      (train.y as Uint8Array)[r] = 1;
    }
    const m = trainGbdt(train, { nEstimators: 20, maxDepth: 2, earlyStoppingRounds: 0 });
    const p = predictProba(m, Float32Array.of(Number.NaN, 0, 0, -0.9, 0, 0), 2, 3);
    expect(p[0]).toBeGreaterThan(0.9);
    expect(p[1]).toBeLessThan(0.1);
  });

  it('uses float32-exact thresholds and leaf values', () => {
    const m = trainGbdt(makeDataset(1000, 4, 8, ringRule(0.2)), {
      nEstimators: 10,
      earlyStoppingRounds: 0,
    });
    for (const t of m.trees) {
      t.threshold.forEach((v) => expect(Math.fround(v)).toBe(v));
      t.value.forEach((v) => expect(Math.fround(v)).toBe(v));
    }
    expect(Math.fround(m.baseScore)).toBe(m.baseScore);
  });

  it('respects max depth and min samples per leaf', () => {
    const m = trainGbdt(makeDataset(2000, 4, 9, ringRule(0.2)), {
      nEstimators: 5,
      maxDepth: 3,
      minSamplesLeaf: 100,
      earlyStoppingRounds: 0,
    });
    for (const t of m.trees) {
      t.feature.forEach((f, i) => f < 0 && expect(t.count[i]).toBeGreaterThanOrEqual(100));
      const depth = (n: number): number =>
        t.feature[n]! < 0 ? 0 : 1 + Math.max(depth(t.left[n]!), depth(t.right[n]!));
      expect(depth(0)).toBeLessThanOrEqual(3);
    }
  });

  it('reports gain importances that favour informative features', () => {
    const m = trainGbdt(makeDataset(3000, 6, 10, ringRule(0)), {
      nEstimators: 40,
      earlyStoppingRounds: 0,
    });
    const imp = featureImportances(m, ['a', 'b', 'c', 'd', 'e', 'f']);
    expect(
      imp
        .slice(0, 2)
        .map((i) => i.name)
        .sort(),
    ).toEqual(['a', 'b']);
    expect(imp.reduce((s, i) => s + i.importance, 0)).toBeCloseTo(1, 9);
  });

  it('starts from the prior log-odds and is JSON-serialisable', () => {
    const d = makeDataset(1000, 2, 11, (x, b) => x[b]! - 0.5);
    const m = trainGbdt(d, {
      nEstimators: 1,
      earlyStoppingRounds: 0,
      maxDepth: 1,
      learningRate: 1e-9,
    });
    const pos = Array.from(d.y).reduce((a, b) => a + b, 0) / d.rows;
    expect(gbdtPredictRaw(m, d.X, 1, 2)[0]).toBeCloseTo(Math.log(pos / (1 - pos)), 5);
    const back = JSON.parse(JSON.stringify(m)) as typeof m;
    expect(predictProba(back, d.X, d.rows, d.cols)).toEqual(predictProba(m, d.X, d.rows, d.cols));
  });
});
