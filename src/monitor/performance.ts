/**
 * Model performance of a window from probability-binned aggregates: realised metrics where the
 * surveys carry their ground truth (`label_vulnerable`), and label-free estimates by
 * confidence-based performance estimation (CBPE, as in NannyML): with calibrated probabilities the
 * expected confusion matrix is Σp over predicted positives (TP), Σ(1−p) over them (FP), Σ(1−p)
 * over predicted negatives (TN) and Σp over them (FN).
 */

/** Aggregates of the predictions whose probability falls into one fine bin. */
export interface ProbabilityBin {
  /** Bin index: floor(p · PROBABILITY_BINS), clamped to the last bin. */
  readonly bin: number;
  readonly n: number;
  readonly sumP: number;
  readonly sumPq: number;
  /** Predicted positives (vulnerable = 1) and their Σp. */
  readonly predPos: number;
  readonly sumPPredPos: number;
  readonly sumPPredNeg: number;
  /** Labelled rows, their positives, and the realised confusion counts. */
  readonly labelled: number;
  readonly positives: number;
  readonly tp: number;
  readonly fp: number;
  readonly sumPLabelled: number;
  readonly sqErr: number;
}

/** Bins of the probability histogram the performance query groups by. */
export const PROBABILITY_BINS = 1000;

/** A `model_performance` row without its window and model. */
export interface PerformanceRow {
  readonly kind: 'realised' | 'estimated';
  readonly n: number;
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly roc_auc: number | null;
  readonly brier: number | null;
  readonly calibration_error: number | null;
}

const div = (a: number, b: number): number => (b > 0 ? a / b : 0);

function fromConfusion(tp: number, fp: number, tn: number, fn: number) {
  const precision = div(tp, tp + fp);
  const recall = div(tp, tp + fn);
  return {
    accuracy: div(tp + tn, tp + fp + tn + fn),
    precision,
    recall,
    f1: div(2 * precision * recall, precision + recall),
  };
}

const sum = (bins: readonly ProbabilityBin[], f: (b: ProbabilityBin) => number): number =>
  bins.reduce((a, b) => a + f(b), 0);

/** ROC AUC by Mann-Whitney over the bins (ties within a bin count one half). */
export function binnedAuc(bins: readonly ProbabilityBin[]): number | null {
  const sorted = [...bins].sort((a, b) => a.bin - b.bin);
  const pos = sum(sorted, (b) => b.positives);
  const neg = sum(sorted, (b) => b.labelled - b.positives);
  if (pos === 0 || neg === 0) return null;
  let negBelow = 0;
  let u = 0;
  for (const b of sorted) {
    const bNeg = b.labelled - b.positives;
    u += b.positives * (negBelow + bNeg / 2);
    negBelow += bNeg;
  }
  return u / (pos * neg);
}

/** Expected calibration error over 10 equal-width probability bins (labelled rows). */
export function calibrationError(bins: readonly ProbabilityBin[], width = PROBABILITY_BINS / 10): number | null {
  const total = sum(bins, (b) => b.labelled);
  if (total === 0) return null;
  const groups = new Map<number, { n: number; p: number; y: number }>();
  for (const b of bins) {
    const g = groups.get(Math.floor(b.bin / width)) ?? { n: 0, p: 0, y: 0 };
    g.n += b.labelled;
    g.p += b.sumPLabelled;
    g.y += b.positives;
    groups.set(Math.floor(b.bin / width), g);
  }
  let ece = 0;
  for (const g of groups.values()) if (g.n > 0) ece += Math.abs(g.p - g.y) / total;
  return ece;
}

/** Realised metrics over the labelled rows (null when none is labelled). */
export function realisedPerformance(bins: readonly ProbabilityBin[]): PerformanceRow | null {
  const n = sum(bins, (b) => b.labelled);
  if (n === 0) return null;
  const tp = sum(bins, (b) => b.tp);
  const fp = sum(bins, (b) => b.fp);
  const fn = sum(bins, (b) => b.positives) - tp;
  const tn = n - tp - fp - fn;
  return {
    kind: 'realised',
    n,
    ...fromConfusion(tp, fp, tn, fn),
    roc_auc: binnedAuc(bins),
    brier: sum(bins, (b) => b.sqErr) / n,
    calibration_error: calibrationError(bins),
  };
}

/** CBPE estimate over every row (needs calibrated probabilities; no labels used). */
export function estimatedPerformance(bins: readonly ProbabilityBin[]): PerformanceRow | null {
  const n = sum(bins, (b) => b.n);
  if (n === 0) return null;
  const tp = sum(bins, (b) => b.sumPPredPos);
  const fp = sum(bins, (b) => b.predPos) - tp;
  const fn = sum(bins, (b) => b.sumPPredNeg);
  const tn = n - sum(bins, (b) => b.predPos) - fn;
  return {
    kind: 'estimated',
    n,
    ...fromConfusion(tp, fp, tn, fn),
    roc_auc: null,
    brier: sum(bins, (b) => b.sumPq) / n,
    calibration_error: null,
  };
}

/** Probability bins from raw arrays (bench, tests); the monitor gets them from ClickHouse. */
export function binProbabilities(p: ArrayLike<number>, label: ArrayLike<number | null>, threshold: number): ProbabilityBin[] {
  const bins = new Map<number, { -readonly [K in keyof ProbabilityBin]: ProbabilityBin[K] }>();
  for (let i = 0; i < p.length; i++) {
    const x = p[i]!;
    const k = Math.min(PROBABILITY_BINS - 1, Math.floor(x * PROBABILITY_BINS));
    const b = bins.get(k) ?? { bin: k, n: 0, sumP: 0, sumPq: 0, predPos: 0, sumPPredPos: 0, sumPPredNeg: 0, labelled: 0, positives: 0, tp: 0, fp: 0, sumPLabelled: 0, sqErr: 0 };
    const pred = x >= threshold ? 1 : 0;
    b.n += 1;
    b.sumP += x;
    b.sumPq += x * (1 - x);
    b.predPos += pred;
    if (pred) b.sumPPredPos += x;
    else b.sumPPredNeg += x;
    const y = label[i];
    if (y !== null && y !== undefined) {
      b.labelled += 1;
      b.positives += y;
      b.tp += pred * y;
      b.fp += pred * (1 - y);
      b.sumPLabelled += x;
      b.sqErr += (x - y) ** 2;
    }
    bins.set(k, b);
  }
  return [...bins.values()];
}
