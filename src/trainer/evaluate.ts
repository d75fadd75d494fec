/**
 * Champion/challenger evaluation: both models' ONNX artifacts scored through onnxruntime (exactly
 * as workers score) on the SAME held-out window, and the promotion rule.
 */
import { cardMetrics, type CardMetrics } from '../model/index.js';
import type { ModelArtifact } from '../score/model-dir.js';
import { Scorer } from '../score/scorer.js';
import { evaluate } from '../train/index.js';
import type { LabelledSurvey } from '../train/train-model.js';
import { labelsOf } from './training-data.js';

/** Metric used to decide a promotion. */
export type PromotionMetric = 'roc_auc' | 'pr_auc' | 'f1';

/** Scores `rows` with an artifact's ONNX session and computes its metrics there. */
export async function evaluateArtifact(artifact: ModelArtifact, rows: readonly LabelledSurvey[]): Promise<CardMetrics> {
  const scorer = await Scorer.create(artifact);
  try {
    const scored = await scorer.score(rows.map((r) => r.values));
    const p = Float64Array.from(scored.rows, (r) => r.probability);
    return cardMetrics(evaluate(labelsOf(rows), p, artifact.card.metrics.threshold));
  } finally {
    await scorer[Symbol.asyncDispose]();
  }
}

/** The outcome of comparing a candidate with the champion. */
export interface Verdict {
  readonly promote: boolean;
  readonly reason: string;
  readonly candidate: number | null;
  readonly champion: number | null;
}

/** Promote only when the candidate beats the champion by at least `margin` on `metric`. */
export function decide(metric: PromotionMetric, margin: number, candidate: CardMetrics, champion: CardMetrics | undefined): Verdict {
  const c = candidate[metric];
  const k = champion ? champion[metric] : null;
  const fmt = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(4));
  if (c === null) return { promote: false, reason: `candidate ${metric} is undefined on the held-out window`, candidate: c, champion: k };
  if (!champion || k === null) return { promote: true, reason: `no comparable champion; candidate ${metric} ${fmt(c)}`, candidate: c, champion: k };
  const delta = c - k;
  const promote = delta >= margin;
  const verb = promote ? 'beats' : 'does not beat';
  return { promote, reason: `candidate ${metric} ${fmt(c)} ${verb} champion ${fmt(k)} by the margin ${margin} (delta ${delta >= 0 ? '+' : ''}${delta.toFixed(4)})`, candidate: c, champion: k };
}
