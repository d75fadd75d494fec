import { describe, expect, it } from 'vitest';
import {
  averagePrecision,
  brierScore,
  calibrationTable,
  classificationScores,
  confusionMatrix,
  evaluate,
  logLoss,
  rocAuc,
} from '../../../src/train/index.js';

const y = [1, 0, 1, 1, 0, 0, 1, 0];
const p = [0.9, 0.8, 0.7, 0.6, 0.55, 0.3, 0.2, 0.1];

describe('metrics', () => {
  it('computes the confusion matrix and threshold scores by hand', () => {
    // predicted positive (>= 0.5): rows 0..4 → tp 3 (0,2,3), fp 2 (1,4); negatives: fn 1 (6), tn 2 (5,7)
    const c = confusionMatrix(y, p);
    expect(c).toEqual({ tp: 3, fp: 2, tn: 2, fn: 1 });
    const s = classificationScores(c);
    expect(s.accuracy).toBeCloseTo(5 / 8, 12);
    expect(s.precision).toBeCloseTo(3 / 5, 12);
    expect(s.recall).toBeCloseTo(3 / 4, 12);
    expect(s.f1).toBeCloseTo((2 * 0.6 * 0.75) / 1.35, 12);
  });

  it('computes ROC AUC as the share of correctly ordered pairs', () => {
    // pairs (pos, neg) with pos scored higher: 0.9 beats all 4; 0.7 beats 0.55,0.3,0.1 (3);
    // 0.6 beats 3; 0.2 beats 0.1 (1) → 11 of 16
    expect(rocAuc(y, p)).toBeCloseTo(11 / 16, 12);
    expect(rocAuc([0, 1], [0.2, 0.8])).toBe(1);
    expect(rocAuc([1, 0], [0.2, 0.8])).toBe(0);
  });

  it('counts ties between a positive and a negative as one half', () => {
    expect(rocAuc([1, 0, 1, 0], [0.5, 0.5, 0.9, 0.1])).toBeCloseTo((1 + 1 + 1 + 0.5) / 4, 12);
    expect(rocAuc([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
  });

  it('returns NaN AUC for a single class', () => {
    expect(rocAuc([1, 1], [0.1, 0.2])).toBeNaN();
  });

  it('computes average precision step-wise (scikit-learn definition)', () => {
    // ranks: 1:P(1/1) 2:N 3:P(2/3) 4:P(3/4) 5:N 6:N 7:P(4/7) 8:N
    const expected = (1 + 2 / 3 + 3 / 4 + 4 / 7) / 4;
    expect(averagePrecision(y, p)).toBeCloseTo(expected, 12);
    // tie of a positive and a negative at the top counts as one threshold: P = 1/2 at R = 1
    expect(averagePrecision([1, 0], [0.5, 0.5])).toBeCloseTo(0.5, 12);
  });

  it('computes log loss and Brier score', () => {
    expect(logLoss([1, 0], [0.8, 0.4])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
    expect(logLoss([1], [0])).toBeCloseTo(-Math.log(1e-15), 6);
    expect(brierScore([1, 0], [0.8, 0.4])).toBeCloseTo((0.04 + 0.16) / 2, 12);
  });

  it('builds a 10-bin calibration table', () => {
    const t = calibrationTable([1, 0, 1, 0], [0.05, 0.15, 0.95, 1]);
    expect(t).toHaveLength(10);
    expect(t[0]).toMatchObject({ count: 1, meanPredicted: 0.05, observedRate: 1 });
    expect(t[1]).toMatchObject({ count: 1, meanPredicted: 0.15, observedRate: 0 });
    expect(t[5]).toMatchObject({ count: 0, meanPredicted: null, observedRate: null });
    expect(t[9]!.count).toBe(2);
    expect(t[9]!.meanPredicted).toBeCloseTo(0.975, 12);
    expect(t[9]!.observedRate).toBe(0.5);
  });

  it('evaluate bundles every metric', () => {
    const r = evaluate(y, p);
    expect(r.n).toBe(8);
    expect(r.positives).toBe(4);
    expect(r.rocAuc).toBeCloseTo(11 / 16, 12);
    expect(r.calibration).toHaveLength(10);
  });

  it('rejects mismatched lengths', () => {
    expect(() => rocAuc([1, 0], [0.5])).toThrow(RangeError);
  });
});
