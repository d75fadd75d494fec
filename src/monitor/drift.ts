/**
 * Drift of one window against the model card's reference distributions: per numeric feature PSI
 * and binned KS (plus the mean shift in reference standard deviations, informational), per
 * categorical feature Jensen-Shannon divergence, the share of rows in unseen categories and the
 * number of expected categories that vanished; the score (prediction drift) like a numeric
 * feature; dataset drift = share of drifted features.
 */
import type { FeatureReference } from '../model/index.js';
import type { FeatureCounts } from './feature-bins.js';
import {
  jensenShannon,
  ksBinned,
  meanShiftSd,
  missingCategories,
  newCategoryShare,
  psi,
} from './stats.js';

/** Thresholds above which a statistic marks its feature as drifted. */
export interface DriftThresholds {
  /** PSI of numeric features and of the score. */
  readonly psi: number;
  /** Binned KS distance of numeric features and of the score. */
  readonly ks: number;
  /** Jensen-Shannon divergence (bits) of categorical features. */
  readonly js: number;
  /** |Δmean| in reference standard deviations (catches shifts of features with one or two bins). */
  readonly meanShift: number;
  /** Share of rows in categories the reference never saw. */
  readonly newCategoryShare: number;
  /** Number of vanished reference categories (expected count ≥ 5). */
  readonly missingCategories: number;
  /** Share of drifted features above which the dataset counts as drifted. */
  readonly datasetShare: number;
  /** Smallest window that is judged at all (smaller windows are too noisy). */
  readonly minRows: number;
}

/**
 * Defaults calibrated with `bench/drift-calibration.ts` (docs/monitoring.md): no false alarm in
 * 400 drift-free windows of 500 rows, a 0.5 sd shift of a top feature flagged in the first window.
 */
export const DEFAULT_DRIFT_THRESHOLDS: DriftThresholds = {
  psi: 0.1,
  ks: 0.12,
  js: 0.02,
  meanShift: 0.3,
  newCategoryShare: 0.02,
  missingCategories: 0,
  datasetShare: 0.25,
  minRows: 100,
};

/** One statistic of one feature in one window (a `drift_metrics` row without the window). */
export interface DriftStat {
  readonly feature: string;
  readonly kind: 'numeric' | 'categorical' | 'score' | 'dataset';
  readonly statistic: string;
  readonly value: number;
  readonly threshold: number;
  readonly drifted: boolean;
  readonly n: number;
}

function total(c: FeatureCounts): number {
  return c.counts.reduce((a, b) => a + b, 0);
}

function stat(
  c: FeatureCounts,
  kind: DriftStat['kind'],
  statistic: string,
  value: number,
  threshold: number,
  judged = true,
): DriftStat {
  const n = total(c);
  return { feature: c.feature, kind, statistic, value, threshold, drifted: judged && value > threshold, n };
}

/** Drift statistics of one feature (or of the score, `kind = 'score'`). */
export function featureDrift(
  ref: FeatureReference,
  c: FeatureCounts,
  t: DriftThresholds,
  kind: 'numeric' | 'categorical' | 'score' = ref.kind,
): DriftStat[] {
  const judged = total(c) >= t.minRows;
  if (ref.kind === 'numeric') {
    const n = total(c);
    const mean = n > 0 ? c.sums.reduce((a, b) => a + b, 0) / n : ref.mean;
    return [
      stat(c, kind, 'psi', psi(ref.proportions, c.counts), t.psi, judged),
      stat(c, kind, 'ks', ksBinned(ref.proportions, c.counts), t.ks, judged),
      stat(c, kind, 'mean_shift_sd', meanShiftSd(ref.mean, ref.sd, mean), t.meanShift, judged),
    ];
  }
  return [
    stat(c, kind, 'jensen_shannon', jensenShannon(ref.proportions, c.counts), t.js, judged),
    stat(c, kind, 'new_category_share', newCategoryShare(ref.proportions, c.counts), t.newCategoryShare, judged),
    stat(c, kind, 'missing_categories', missingCategories(ref.proportions, c.counts), t.missingCategories, judged),
  ];
}

/** Features (not the score) with at least one drifted statistic. */
export function driftedFeatures(stats: readonly DriftStat[]): string[] {
  return [...new Set(stats.filter((s) => s.drifted && s.kind !== 'score' && s.kind !== 'dataset').map((s) => s.feature))];
}

/** The dataset-level row: share of drifted features among those judged. */
export function datasetDrift(stats: readonly DriftStat[], t: DriftThresholds): DriftStat {
  const features = new Set(stats.filter((s) => s.kind === 'numeric' || s.kind === 'categorical').map((s) => s.feature));
  const share = features.size > 0 ? driftedFeatures(stats).length / features.size : 0;
  const n = Math.max(0, ...stats.map((s) => s.n));
  return {
    feature: '__dataset__',
    kind: 'dataset',
    statistic: 'drifted_feature_share',
    value: share,
    threshold: t.datasetShare,
    drifted: share > t.datasetShare,
    n,
  };
}

/** Every drift statistic of a window: features, score (when given), dataset. */
export function windowDrift(
  refs: readonly FeatureReference[],
  counts: readonly FeatureCounts[],
  t: DriftThresholds,
  score?: { ref: FeatureReference; counts: FeatureCounts },
): DriftStat[] {
  const byName = new Map(counts.map((c) => [c.feature, c]));
  const stats: DriftStat[] = [];
  for (const ref of refs) {
    const c = byName.get(ref.name);
    if (c) stats.push(...featureDrift(ref, c, t));
  }
  if (score) stats.push(...featureDrift(score.ref, score.counts, t, 'score'));
  stats.push(datasetDrift(stats, t));
  return stats;
}
