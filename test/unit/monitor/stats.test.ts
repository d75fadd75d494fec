import { describe, expect, it } from 'vitest';
import { jensenShannon, ksBinned, meanShiftSd, missingCategories, newCategoryShare, psi } from '../../../src/monitor/stats.js';
import { binProbabilities, estimatedPerformance, realisedPerformance } from '../../../src/monitor/performance.js';
import { healthScore, healthStatus } from '../../../src/monitor/health.js';

describe('monitor stats', () => {
  const ref = [0.25, 0.25, 0.25, 0.25];
  it('gives 0 for identical distributions and grows with the shift', () => {
    expect(psi(ref, [25, 25, 25, 25])).toBeCloseTo(0, 9);
    expect(ksBinned(ref, [25, 25, 25, 25])).toBeCloseTo(0, 9);
    expect(psi(ref, [10, 20, 30, 40])).toBeGreaterThan(psi(ref, [20, 25, 25, 30]));
    expect(ksBinned(ref, [10, 20, 30, 40])).toBeCloseTo(0.2, 9);
  });
  it('keeps PSI finite when a bin is empty (smoothing)', () => {
    expect(Number.isFinite(psi(ref, [0, 50, 50, 0]))).toBe(true);
  });
  it('bounds Jensen-Shannon in [0, 1] bits and reports new and missing categories', () => {
    expect(jensenShannon([1, 0], [0, 10])).toBeGreaterThan(0.99);
    expect(jensenShannon([0.5, 0.5], [5, 5])).toBeCloseTo(0, 6);
    expect(newCategoryShare([0.5, 0.5, 0], [40, 50, 10])).toBeCloseTo(0.1, 9);
    expect(missingCategories([0.5, 0.5], [100, 0])).toBe(1);
    expect(meanShiftSd(0, 2, 1)).toBe(0.5);
  });
});

describe('monitor performance', () => {
  it('estimates the confusion matrix from calibrated probabilities (CBPE)', () => {
    // Probabilities equal to the label frequencies of their bins: the estimate is exact in expectation.
    const p = [...Array<number>(100).fill(0.9), ...Array<number>(100).fill(0.2)];
    const y = [...Array.from({ length: 100 }, (_, i) => (i < 90 ? 1 : 0)), ...Array.from({ length: 100 }, (_, i) => (i < 20 ? 1 : 0))];
    const bins = binProbabilities(p, y, 0.5);
    const r = realisedPerformance(bins)!;
    const e = estimatedPerformance(bins)!;
    expect(r.accuracy).toBeCloseTo(0.85, 9);
    expect(e.accuracy).toBeCloseTo(0.85, 9);
    expect(e.f1).toBeCloseTo(r.f1, 9);
    expect(r.roc_auc).toBeGreaterThan(0.7);
    expect(r.calibration_error).toBeCloseTo(0, 9);
  });
});

describe('health score', () => {
  it('weights the components like the seed and maps the bands', () => {
    expect(healthScore({ pipeline_success: 1, data_quality: 1, model_performance: 1, resources: 1 })).toBeCloseTo(1, 9);
    expect(healthScore({ pipeline_success: 1, data_quality: 0.5, model_performance: 1, resources: 0 })).toBeCloseTo(0.75, 9);
    expect([0.95, 0.85, 0.75, 0.5].map(healthStatus)).toEqual(['Excellent', 'Good', 'Warning', 'Critical']);
  });
});
