/**
 * The scoring step of the worker chain. It reads the model holder ONCE per micro-batch, so a hot
 * swap takes effect between batches: no record is scored by a half-swapped model, and each
 * prediction names the model version that produced it.
 */
import type { AcceptedItem, BatchStep, PredictionResult } from '../pipeline/types.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { BatchScores, Scorer } from './scorer.js';

/** The models a worker scores with. `champion` feeds predictions; `shadow` is only recorded. */
export class ModelHolder implements AsyncDisposable {
  champion: Scorer | undefined;
  shadow: Scorer | undefined;
  readonly #retired: Scorer[] = [];

  constructor(champion?: Scorer, shadow?: Scorer) {
    this.champion = champion;
    this.shadow = shadow;
  }

  /** Replaces the champion; the old session is released when the holder is disposed (a batch may still use it). */
  swapChampion(next: Scorer | undefined): void {
    if (this.champion && this.champion !== next) this.#retired.push(this.champion);
    this.champion = next;
  }

  swapShadow(next: Scorer | undefined): void {
    if (this.shadow && this.shadow !== next) this.#retired.push(this.shadow);
    this.shadow = next;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const all = new Set([...this.#retired, this.champion, this.shadow].filter((s): s is Scorer => s !== undefined));
    this.#retired.length = 0;
    for (const s of all) await s[Symbol.asyncDispose]();
  }
}

function results(scorer: Scorer, scores: BatchScores, now: number): PredictionResult[] {
  const perRow = scores.rows.length > 0 ? scores.latencyMs / scores.rows.length : 0;
  return scores.rows.map((r) => ({
    ...r,
    modelName: scorer.card.name,
    modelVersion: scorer.version,
    specVersion: scorer.specVersion,
    latencyMs: perRow,
    scoredAtMs: now,
  }));
}

export function createScoreStep(holder: ModelHolder, metrics?: Metrics): BatchStep {
  return async (batch) => {
    const champion = holder.champion;
    const shadow = holder.shadow;
    const accepted = batch.filter((i): i is AcceptedItem => i.kind === 'accepted');
    if (!champion || accepted.length === 0) return [...batch];
    const end = metrics?.stageSeconds.startTimer({ stage: 'score' });
    const values = accepted.map((i) => i.record.values);
    const [main, side] = await Promise.all([champion.score(values), shadow?.score(values)]);
    end?.();
    const now = Date.now();
    const mainResults = results(champion, main, now);
    const sideResults = shadow && side ? results(shadow, side, now) : undefined;
    const byItem = new Map(accepted.map((item, k) => [item, k]));
    return batch.map((item) => {
      const k = item.kind === 'accepted' ? byItem.get(item) : undefined;
      if (k === undefined || item.kind !== 'accepted') return item;
      return { ...item, prediction: mainResults[k]!, ...(sideResults ? { shadow: sideResults[k]! } : {}) };
    });
  };
}
