/**
 * Batched scoring with onnxruntime-node. One featurizer (the model card's fitted spec) turns a
 * micro-batch into a float32 matrix; one `session.run` scores it.
 */
import * as ort from 'onnxruntime-node';
import type { SurveyValues } from '../domain/fields.js';
import { featurizeBatch, featurizeInto, type FeatureSpec } from '../featurize/index.js';
import { PipelineError } from '../errors.js';
import type { ModelCard } from '../model/index.js';
import type { ModelArtifact } from './model-dir.js';

/** The rows as one view when they lie back to back in one buffer (zero-copy batch), else undefined. */
function contiguous(rows: readonly (Float32Array | null)[], cols: number): Float32Array | undefined {
  const first = rows[0];
  if (!first) return undefined;
  for (let i = 1; i < rows.length; i++) {
    const r = rows[i];
    if (!r || r.buffer !== first.buffer || r.byteOffset !== first.byteOffset + i * cols * 4) return undefined;
  }
  return new Float32Array(first.buffer, first.byteOffset, rows.length * cols);
}

/** Risk bins of P(vulnerable) (SEED_SPEC §5.2, right-closed): Low ≤ .3 < Medium ≤ .6 < High ≤ .8 < Critical. */
export const RISK_BINS = [
  { upTo: 0.3, risk: 'Low' },
  { upTo: 0.6, risk: 'Medium' },
  { upTo: 0.8, risk: 'High' },
  { upTo: Number.POSITIVE_INFINITY, risk: 'Critical' },
] as const;
export type Risk = (typeof RISK_BINS)[number]['risk'];

export function riskOf(p: number): Risk {
  return p <= 0.3 ? 'Low' : p <= 0.6 ? 'Medium' : p <= 0.8 ? 'High' : 'Critical';
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
  /** Wall time of (featurize +) run for the whole batch, ms. */
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
  readonly #specVersion: string;
  #released = false;

  private constructor(card: ModelCard, session: ort.InferenceSession) {
    this.card = card;
    this.#session = session;
    this.#spec = card.feature_spec;
    this.#threshold = card.metrics.threshold;
    this.#specVersion = `${card.feature_spec.name}@${card.feature_spec.version}`;
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
    return this.#specVersion;
  }

  /** Decision threshold on p (from the card). */
  get threshold(): number {
    return this.#threshold;
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

  /** The fitted feature spec this model reads (records featurized with it can be scored as they are). */
  get spec(): FeatureSpec {
    return this.#spec;
  }

  /** Number of model input columns. */
  get cols(): number {
    return this.card.feature_names.length;
  }

  /** Featurizes and scores raw surveys. */
  async score(values: readonly SurveyValues[]): Promise<BatchScores> {
    const started = performance.now();
    if (values.length === 0) return { rows: [], latencyMs: 0 };
    const m = featurizeBatch(this.#spec, values);
    return this.#verdicts(await this.run(m.data, m.rows, m.cols), started);
  }

  /**
   * Scores records featurized earlier in the chain: `rows[i]` is a feature row made with
   * {@link spec}, or null to featurize `values[i]` here (e.g. after a model swap changed the spec).
   */
  async scoreFeatures(rows: readonly (Float32Array | null)[], valuesOf: (i: number) => SurveyValues): Promise<{ probabilities: Float32Array; latencyMs: number }> {
    const started = performance.now();
    const n = rows.length;
    const cols = this.cols;
    let data = contiguous(rows, cols);
    if (!data) {
      data = new Float32Array(n * cols);
      for (let i = 0; i < n; i++) {
        const row = rows[i];
        if (row) data.set(row, i * cols);
        else featurizeInto(this.#spec, valuesOf(i), data, i * cols);
      }
    }
    const probabilities = n === 0 ? new Float32Array(0) : await this.run(data, n, cols);
    return { probabilities, latencyMs: performance.now() - started };
  }

  /** The verdict for one probability (clamped to [0, 1]). */
  verdict(raw: number): ScoredRow {
    const probability = Math.min(1, Math.max(0, raw));
    return { probability, vulnerable: probability >= this.#threshold, risk: riskOf(probability), confidence: Math.max(probability, 1 - probability) };
  }

  #verdicts(p: Float32Array, started: number): BatchScores {
    return { rows: Array.from(p, (raw) => this.verdict(raw)), latencyMs: performance.now() - started };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    await this.#session.release();
  }
}
