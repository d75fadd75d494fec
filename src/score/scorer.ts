/**
 * Batched scoring with onnxruntime-node. One featurizer (the model card's fitted spec) turns a
 * micro-batch into a float32 matrix; one `session.run` scores it.
 */
import * as ort from 'onnxruntime-node';
import type { SurveyValues } from '../domain/fields.js';
import { featurizeBatch, type FeatureSpec } from '../featurize/index.js';
import { PipelineError } from '../errors.js';
import type { ModelCard } from '../model/index.js';
import type { ModelArtifact } from './model-dir.js';

/** Risk bins of P(vulnerable) (SEED_SPEC §5.2, right-closed): Low ≤ .3 < Medium ≤ .6 < High ≤ .8 < Critical. */
export const RISK_BINS = [
  { upTo: 0.3, risk: 'Low' },
  { upTo: 0.6, risk: 'Medium' },
  { upTo: 0.8, risk: 'High' },
  { upTo: Number.POSITIVE_INFINITY, risk: 'Critical' },
] as const;
export type Risk = (typeof RISK_BINS)[number]['risk'];

export function riskOf(p: number): Risk {
  return RISK_BINS.find((b) => p <= b.upTo)!.risk;
}

export interface ScoredRow {
  probability: number;
  vulnerable: boolean;
  risk: Risk;
  /** max(p, 1 - p). */
  confidence: number;
}

export interface BatchScores {
  rows: ScoredRow[];
  /** Wall time of featurize + run for the whole batch, ms. */
  latencyMs: number;
}

export interface ScorerOptions {
  /** onnxruntime intra-op threads. @default 1 */
  intraOpNumThreads?: number;
}

export class Scorer implements AsyncDisposable {
  readonly card: ModelCard;
  readonly #session: ort.InferenceSession;
  readonly #spec: FeatureSpec;
  readonly #threshold: number;
  #released = false;

  private constructor(card: ModelCard, session: ort.InferenceSession) {
    this.card = card;
    this.#session = session;
    this.#spec = card.feature_spec;
    this.#threshold = card.metrics.threshold;
  }

  static async create(artifact: ModelArtifact, opts: ScorerOptions = {}): Promise<Scorer> {
    try {
      const session = await ort.InferenceSession.create(artifact.onnx, {
        intraOpNumThreads: opts.intraOpNumThreads ?? 1,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      });
      return new Scorer(artifact.card, session);
    } catch (err) {
      throw new PipelineError('CONFIG', `onnxruntime cannot load model ${artifact.card.name}@${artifact.card.version}: ${(err as Error).message}`, false, { cause: err });
    }
  }

  get version(): string {
    return this.card.version;
  }

  get specVersion(): string {
    return `${this.#spec.name}@${this.#spec.version}`;
  }

  /** Raw probabilities for a featurized matrix (used by the benchmark and the scorer). */
  async run(data: Float32Array, rows: number, cols: number): Promise<Float32Array> {
    const out = await this.#session.run({ features: new ort.Tensor('float32', data, [rows, cols]) });
    const probs = out['probabilities'];
    if (!probs) throw new PipelineError('INTERNAL', 'model has no "probabilities" output', false);
    const pairs = probs.data as Float32Array;
    const p = new Float32Array(rows);
    for (let i = 0; i < rows; i++) p[i] = pairs[i * 2 + 1]!;
    return p;
  }

  async score(values: readonly SurveyValues[]): Promise<BatchScores> {
    const started = performance.now();
    if (values.length === 0) return { rows: [], latencyMs: 0 };
    const m = featurizeBatch(this.#spec, values);
    const p = await this.run(m.data, m.rows, m.cols);
    const rows = Array.from(p, (raw) => {
      const probability = Math.min(1, Math.max(0, raw));
      return { probability, vulnerable: probability >= this.#threshold, risk: riskOf(probability), confidence: Math.max(probability, 1 - probability) };
    });
    return { rows, latencyMs: performance.now() - started };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    await this.#session.release();
  }
}
