import { describe, expect, it } from 'vitest';
import type { CardMetrics } from '../../../src/model/index.js';
import { decide } from '../../../src/trainer/evaluate.js';
import { splitHoldout } from '../../../src/trainer/training-data.js';
import { newVersion } from '../../../src/trainer/cycle.js';

const m = (roc_auc: number | null, f1 = 0.5): CardMetrics =>
  ({ n: 100, positives: 40, threshold: 0.5, accuracy: 0.5, precision: 0.5, recall: 0.5, f1, roc_auc, pr_auc: 0.5, log_loss: 0.5, brier: 0.2, confusion: { tp: 0, fp: 0, tn: 0, fn: 0 }, calibration: [] }) as CardMetrics;

describe('promotion rule', () => {
  it('promotes only when the candidate wins by the margin', () => {
    expect(decide('roc_auc', 0.005, m(0.86), m(0.85)).promote).toBe(true);
    expect(decide('roc_auc', 0.005, m(0.854), m(0.85)).promote).toBe(false);
    expect(decide('roc_auc', 0.005, m(0.80), m(0.85))).toMatchObject({ promote: false, candidate: 0.8, champion: 0.85 });
    expect(decide('f1', 0, m(0.5, 0.7), m(0.9, 0.6)).promote).toBe(true);
  });

  it('explains the decision with both figures', () => {
    expect(decide('roc_auc', 0.005, m(0.8), m(0.85)).reason).toMatch(/candidate roc_auc 0\.8000 does not beat champion 0\.8500 by the margin 0\.005 \(delta -0\.0500\)/);
  });

  it('never promotes an undefined metric; promotes over a champion without one', () => {
    expect(decide('roc_auc', 0.005, m(null), m(0.85)).promote).toBe(false);
    expect(decide('roc_auc', 0.005, m(0.7), undefined).promote).toBe(true);
  });
});

describe('training data', () => {
  it('holds out the newest share of time-ordered rows', () => {
    const { train, holdout } = splitHoldout([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.2);
    expect(train).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(holdout).toEqual([9, 10]);
  });

  it('names versions by UTC time so they sort', () => {
    expect(newVersion(new Date('2026-03-01T02:03:04.056Z'))).toBe('20260301-020304-056');
  });
});
