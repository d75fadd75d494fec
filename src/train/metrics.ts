/**
 * Binary classification metrics. Labels are 0/1; scores are P(y = 1).
 */

/** Confusion matrix at a threshold (predict 1 when score >= threshold). */
export interface Confusion {
  readonly tp: number;
  readonly fp: number;
  readonly tn: number;
  readonly fn: number;
}

/** One equal-width calibration bin of [0, 1]. */
export interface CalibrationBin {
  readonly lo: number;
  readonly hi: number;
  readonly count: number;
  /** Mean predicted probability (null when empty). */
  readonly meanPredicted: number | null;
  /** Observed positive rate (null when empty). */
  readonly observedRate: number | null;
}

/** All metrics of a scored test set. */
export interface MetricsReport {
  readonly n: number;
  readonly positives: number;
  readonly threshold: number;
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly rocAuc: number;
  readonly prAuc: number;
  readonly logLoss: number;
  readonly brier: number;
  readonly confusion: Confusion;
  readonly calibration: CalibrationBin[];
}

function checkLengths(y: ArrayLike<number>, p: ArrayLike<number>): void {
  if (y.length !== p.length)
    throw new RangeError(`labels (${y.length}) and scores (${p.length}) differ in length`);
}

/** Confusion matrix; a row is predicted positive when `score >= threshold`. */
export function confusionMatrix(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  threshold = 0.5,
): Confusion {
  checkLengths(y, p);
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < y.length; i++) {
    const pos = p[i]! >= threshold;
    if (y[i] === 1) c[pos ? 'tp' : 'fn']++;
    else c[pos ? 'fp' : 'tn']++;
  }
  return c;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** Accuracy, precision, recall and F1 from a confusion matrix (0 where undefined). */
export function classificationScores(c: Confusion): {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
} {
  const precision = ratio(c.tp, c.tp + c.fp);
  const recall = ratio(c.tp, c.tp + c.fn);
  return {
    accuracy: ratio(c.tp + c.tn, c.tp + c.tn + c.fp + c.fn),
    precision,
    recall,
    f1: ratio(2 * precision * recall, precision + recall),
  };
}

/** Indices sorted by score, descending. */
function orderDesc(p: ArrayLike<number>): Uint32Array {
  return Uint32Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[b]! - p[a]!);
}

/**
 * ROC AUC from ranks (Mann–Whitney U); tied scores get their average rank, so a tie between a
 * positive and a negative counts one half. NaN when only one class is present.
 */
export function rocAuc(y: ArrayLike<number>, p: ArrayLike<number>): number {
  checkLengths(y, p);
  const order = Uint32Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[a]! - p[b]!);
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && p[order[j + 1]!] === p[order[i]!]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (y[order[k]!] === 1) {
        rankSumPos += avgRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = y.length - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * Average precision (area under the precision–recall curve, step-wise as in scikit-learn):
 * Σ (R_k − R_{k−1}) · P_k over distinct score thresholds, high to low. NaN without positives.
 */
export function averagePrecision(y: ArrayLike<number>, p: ArrayLike<number>): number {
  checkLengths(y, p);
  const order = orderDesc(p);
  const nPos = Array.prototype.filter.call(y, (v) => v === 1).length;
  if (nPos === 0) return Number.NaN;
  let tp = 0;
  let seen = 0;
  let prevRecall = 0;
  let ap = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && p[order[j]!] === p[order[i]!]) {
      if (y[order[j]!] === 1) tp++;
      seen++;
      j++;
    }
    const recall = tp / nPos;
    ap += (recall - prevRecall) * (tp / seen);
    prevRecall = recall;
    i = j;
  }
  return ap;
}

/** Mean log loss with probabilities clipped to [eps, 1 − eps]. */
export function logLoss(y: ArrayLike<number>, p: ArrayLike<number>, eps = 1e-15): number {
  checkLengths(y, p);
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const q = Math.min(Math.max(p[i]!, eps), 1 - eps);
    s -= y[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return s / y.length;
}

/** Brier score: mean squared error of the probabilities. */
export function brierScore(y: ArrayLike<number>, p: ArrayLike<number>): number {
  checkLengths(y, p);
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (p[i]! - y[i]!) ** 2;
  return s / y.length;
}

/** Calibration table with `bins` equal-width bins; a score of exactly 1 falls in the last bin. */
export function calibrationTable(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  bins = 10,
): CalibrationBin[] {
  checkLengths(y, p);
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < y.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p[i]! * bins)));
    count[b] = count[b]! + 1;
    sumP[b] = sumP[b]! + p[i]!;
    sumY[b] = sumY[b]! + y[i]!;
  }
  return Array.from(count, (c, b) => ({
    lo: b / bins,
    hi: (b + 1) / bins,
    count: c,
    meanPredicted: c > 0 ? sumP[b]! / c : null,
    observedRate: c > 0 ? sumY[b]! / c : null,
  }));
}

/** Every metric at once. */
export function evaluate(
  y: ArrayLike<number>,
  p: ArrayLike<number>,
  threshold = 0.5,
): MetricsReport {
  const confusion = confusionMatrix(y, p, threshold);
  return {
    n: y.length,
    positives: confusion.tp + confusion.fn,
    threshold,
    ...classificationScores(confusion),
    rocAuc: rocAuc(y, p),
    prAuc: averagePrecision(y, p),
    logLoss: logLoss(y, p),
    brier: brierScore(y, p),
    confusion,
    calibration: calibrationTable(y, p),
  };
}
