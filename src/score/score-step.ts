/**
 * The scoring step of the worker chain. It reads the model holder ONCE per micro-batch, so a hot
 * swap takes effect between batches: no record is scored by a half-swapped model, and each
 * prediction names the model version that produced it.
 */
import { map, type OperatorFunction } from 'rxjs';
import { featurizeInto } from '../featurize/index.js';
import type { SurveyValues } from '../domain/fields.js';
import type { AcceptedItem, BatchStep, Item, PredictionResult, ScoringRun } from '../pipeline/types.js';
import type { Metrics } from '../telemetry/metrics.js';
import { riskOf, type Scorer } from './scorer.js';

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

function scoringRun(scorer: Scorer, latencyMs: number, rows: number, now: number): ScoringRun {
  return { modelName: scorer.card.name, modelVersion: scorer.version, specVersion: scorer.specVersion, latencyMs: latencyMs / rows, scoredAtMs: now };
}

function result(scorer: Scorer, raw: number, run: ScoringRun): PredictionResult {
  const probability = raw < 0 ? 0 : raw > 1 ? 1 : raw;
  return {
    probability,
    vulnerable: probability >= scorer.threshold,
    risk: riskOf(probability),
    confidence: probability > 0.5 ? probability : 1 - probability,
    run,
  };
}

/**
 * The featurize stage: each accepted record gets its model input row, made with the champion's
 * spec, before micro-batching (DESIGN §1), so the score step only assembles and runs the batch.
 */
export function featurizeStage(holder: ModelHolder, slabRows = 16_384): OperatorFunction<Item, Item> {
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
    item.features = { spec: champion.spec, row: slab.subarray(used, used + cols) };
    used += cols;
    return item;
  });
}

export function createScoreStep(holder: ModelHolder, metrics?: Metrics): BatchStep {
  return async (batch) => {
    const champion = holder.champion;
    const shadow = holder.shadow;
    const accepted: AcceptedItem[] = [];
    for (const item of batch) if (item.kind === 'accepted') accepted.push(item);
    if (!champion || accepted.length === 0) return batch as Item[];
    const end = metrics?.stageSeconds.startTimer({ stage: 'score' });
    const spec = champion.spec;
    // Rows featurized with another spec (a swap happened in between) are featurized again here.
    const rows = accepted.map((i) => (i.features?.spec === spec ? i.features.row : null));
    const valuesOf = (k: number): SurveyValues => accepted[k]!.record.values;
    const [main, side] = await Promise.all([
      champion.scoreFeatures(rows, valuesOf),
      shadow?.score(accepted.map((i) => i.record.values)),
    ]);
    end?.();
    const now = Date.now();
    const mainRun = scoringRun(champion, main.latencyMs, accepted.length, now);
    const sideRun = shadow && side ? scoringRun(shadow, side.latencyMs, accepted.length, now) : undefined;
    // The chain owns its items and this step is the only writer of their prediction slots, so the
    // predictions are attached in place (copying every item per batch cost half the throughput).
    for (let k = 0; k < accepted.length; k++) {
      const item = accepted[k]!;
      item.prediction = result(champion, main.probabilities[k]!, mainRun);
      const sideRow = side?.rows[k];
      if (shadow && sideRow && sideRun) item.shadow = result(shadow, sideRow.probability, sideRun);
    }
    return batch as Item[];
  };
}
