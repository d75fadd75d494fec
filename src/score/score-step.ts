/**
 * The scoring step of the worker chain. It reads the model holder ONCE per micro-batch, so a hot
 * swap takes effect between batches: no record is scored by a half-swapped model, and each
 * prediction names the model version that produced it.
 */
import { map, type OperatorFunction } from 'rxjs';
import { featurizeInto } from '../featurize/index.js';
import type { AcceptedItem, BatchStep, Item, PredictionResult } from '../pipeline/types.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { Scorer } from './scorer.js';

/** Which slot of the holder a model sits in. */
export type ModelRole = 'champion' | 'shadow';

/**
 * The models a worker scores with. `champion` feeds predictions; `shadow` is only recorded. A
 * replaced session is released after `retireAfterMs` (a micro-batch that read it just before the
 * swap may still be running), or at dispose.
 */
export class ModelHolder implements AsyncDisposable {
  champion: Scorer | undefined;
  shadow: Scorer | undefined;
  readonly #retiring = new Set<Scorer>();
  readonly #retireAfterMs: number;
  readonly #onChange: ((role: ModelRole, next: Scorer | undefined, previous: Scorer | undefined) => void) | undefined;

  constructor(champion?: Scorer, shadow?: Scorer, opts: { retireAfterMs?: number; onChange?: (role: ModelRole, next: Scorer | undefined, previous: Scorer | undefined) => void } = {}) {
    this.champion = champion;
    this.shadow = shadow;
    this.#retireAfterMs = opts.retireAfterMs ?? 30_000;
    this.#onChange = opts.onChange;
    if (champion) this.#onChange?.('champion', champion, undefined);
  }

  /** Replaces the champion between micro-batches (the score step reads the slot once per batch). */
  swapChampion(next: Scorer | undefined): void {
    const previous = this.champion;
    this.champion = next;
    this.#retire(previous, next);
    this.#onChange?.('champion', next, previous);
  }

  swapShadow(next: Scorer | undefined): void {
    const previous = this.shadow;
    this.shadow = next;
    this.#retire(previous, next);
    this.#onChange?.('shadow', next, previous);
  }

  #retire(previous: Scorer | undefined, next: Scorer | undefined): void {
    if (!previous || previous === next || previous === this.champion || previous === this.shadow) return;
    this.#retiring.add(previous);
    setTimeout(() => {
      if (this.#retiring.delete(previous)) void previous[Symbol.asyncDispose]();
    }, this.#retireAfterMs).unref();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    const all = new Set([...this.#retiring, this.champion, this.shadow].filter((s): s is Scorer => s !== undefined));
    this.#retiring.clear();
    for (const s of all) await s[Symbol.asyncDispose]();
  }
}

function result(scorer: Scorer, raw: number, latencyMs: number, now: number): PredictionResult {
  const v = scorer.verdict(raw);
  return {
    probability: v.probability,
    vulnerable: v.vulnerable,
    risk: v.risk,
    confidence: v.confidence,
    modelName: scorer.card.name,
    modelVersion: scorer.version,
    specVersion: scorer.specVersion,
    latencyMs,
    scoredAtMs: now,
  };
}

/**
 * The featurize stage: each accepted record gets its model input row, made with the champion's
 * spec, before micro-batching (DESIGN §1), so the score step only assembles and runs the batch.
 */
export function featurizeStage(holder: ModelHolder, slabRows = 4096): OperatorFunction<Item, Item> {
  // Rows are written one after another into shared slabs: a micro-batch's rows are then usually
  // contiguous and go to onnxruntime without a copy, and no per-record buffer is allocated.
  let slab = new Float32Array(0);
  let used = 0;
  return map((item) => {
    const champion = holder.champion;
    if (item.kind !== 'accepted' || !champion) return item;
    const cols = champion.cols;
    if (used + cols > slab.length) {
      slab = new Float32Array(slabRows * cols);
      used = 0;
    }
    featurizeInto(champion.spec, item.record.values, slab, used);
    const row = slab.subarray(used, used + cols);
    used += cols;
    return { ...item, features: { spec: champion.spec, row } };
  });
}

export function createScoreStep(holder: ModelHolder, metrics?: Metrics): BatchStep {
  return async (batch) => {
    const champion = holder.champion;
    const shadow = holder.shadow;
    const accepted = batch.filter((i): i is AcceptedItem => i.kind === 'accepted');
    if (!champion || accepted.length === 0) return [...batch];
    const end = metrics?.stageSeconds.startTimer({ stage: 'score' });
    const values = accepted.map((i) => i.record.values);
    // Rows featurized with another spec (a swap happened in between) are featurized again here.
    const rows = accepted.map((i) => (i.features?.spec === champion.spec ? i.features.row : null));
    const [main, side] = await Promise.all([champion.scoreFeatures(rows, values), shadow?.score(values)]);
    end?.();
    const now = Date.now();
    const perRow = main.latencyMs / accepted.length;
    // The chain owns its items and this step is the only writer of their prediction slots, so the
    // predictions are attached in place (copying every item per batch cost half the throughput).
    accepted.forEach((item, k) => {
      item.prediction = result(champion, main.probabilities[k]!, perRow, now);
      const sideRow = side?.rows[k];
      if (shadow && sideRow) item.shadow = result(shadow, sideRow.probability, side.latencyMs / accepted.length, now);
    });
    return batch as Item[];
  };
}
