/**
 * The model card: everything needed to score, audit and monitor a model, stored as `model.json`
 * next to `model.onnx` (DESIGN §5, §6). Keys are snake_case because the file is a wire format.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { TARGET_COLUMN } from '../domain/fields.js';
import { featureNames, FeatureSpecSchema, type FeatureSpec } from '../featurize/index.js';
import {
  featureImportances,
  TRAINER_VERSION,
  type MetricsReport,
  type TrainedModel,
} from '../train/index.js';
import { IR_VERSION, ML_OPSET, OPSET } from './onnx-proto.js';
import {
  featureReferences,
  FeatureReferenceSchema,
  numericReference,
  NumericReferenceSchema,
} from './reference.js';

/** NaN-free metric (JSON has no NaN: an undefined metric such as AUC on one class is null). */
const Metric = z.number().nullable();

/** Test-set metrics as stored in the card (snake_case, NaN as null). */
export const CardMetricsSchema = z.object({
  n: z.number().int(),
  positives: z.number().int(),
  threshold: z.number(),
  accuracy: Metric,
  precision: Metric,
  recall: Metric,
  f1: Metric,
  roc_auc: Metric,
  pr_auc: Metric,
  log_loss: Metric,
  brier: Metric,
  confusion: z.object({ tp: z.number(), fp: z.number(), tn: z.number(), fn: z.number() }),
  calibration: z.array(
    z.object({
      lo: z.number(),
      hi: z.number(),
      count: z.number(),
      mean_predicted: Metric,
      observed_rate: Metric,
    }),
  ),
});
/** Metrics block of a model card. */
export type CardMetrics = z.infer<typeof CardMetricsSchema>;

/** Zod schema of `model.json`. */
export const ModelCardSchema = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  model_type: z.enum(['gbdt', 'logistic']),
  label: z.object({ source: z.string(), rule: z.string() }),
  feature_spec: FeatureSpecSchema,
  feature_names: z.array(z.string()),
  training_window: z.object({ from: z.string().nullable(), to: z.string().nullable() }),
  rows: z.object({ train: z.number().int(), valid: z.number().int(), test: z.number().int() }),
  metrics: CardMetricsSchema,
  feature_importances: z.array(z.object({ name: z.string(), importance: z.number() })),
  hyperparameters: z.record(z.string(), z.unknown()),
  reference: z.object({
    source: z.enum(['train', 'valid', 'test']),
    rows: z.number().int(),
    features: z.array(FeatureReferenceSchema),
    score: NumericReferenceSchema,
  }),
  onnx: z.object({
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    bytes: z.number().int().positive(),
    input: z.literal('features'),
    outputs: z.tuple([z.literal('label'), z.literal('probabilities')]),
    ir_version: z.number().int(),
    opset: z.number().int(),
    ml_opset: z.number().int(),
  }),
  created_at: z.iso.datetime(),
  trainer_version: z.string(),
});
/** A model card (the parsed `model.json`). */
export type ModelCard = z.infer<typeof ModelCardSchema>;

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Converts a metrics report to the card's NaN-free, snake_case form. */
export function cardMetrics(m: MetricsReport): CardMetrics {
  return {
    n: m.n,
    positives: m.positives,
    threshold: m.threshold,
    accuracy: finite(m.accuracy),
    precision: finite(m.precision),
    recall: finite(m.recall),
    f1: finite(m.f1),
    roc_auc: finite(m.rocAuc),
    pr_auc: finite(m.prAuc),
    log_loss: finite(m.logLoss),
    brier: finite(m.brier),
    confusion: m.confusion,
    calibration: m.calibration.map((b) => ({
      lo: b.lo,
      hi: b.hi,
      count: b.count,
      mean_predicted: b.meanPredicted,
      observed_rate: b.observedRate,
    })),
  };
}

/** Hex sha256 of the ONNX bytes. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Inputs of {@link buildModelCard}. */
export interface ModelCardInput {
  readonly name: string;
  readonly version: string;
  readonly model: TrainedModel;
  /** The FITTED spec the model was trained with. */
  readonly spec: FeatureSpec;
  readonly onnx: Uint8Array;
  readonly trainingWindow: { readonly from: string | null; readonly to: string | null };
  readonly rows: { readonly train: number; readonly valid: number; readonly test: number };
  /** Metrics on the TEST rows. */
  readonly testMetrics: MetricsReport;
  /** Featurized reference rows and their scores (usually the held-out test rows). */
  readonly reference: {
    readonly source: 'train' | 'valid' | 'test';
    readonly X: Float32Array;
    readonly rows: number;
    readonly scores: ArrayLike<number>;
  };
  /** Label rule in words. @default vulnerable = target < 1.77 */
  readonly labelRule?: string;
  /** @default now */
  readonly createdAt?: Date;
}

/** Builds and validates a model card. */
export function buildModelCard(input: ModelCardInput): ModelCard {
  const names = featureNames(input.spec);
  const ref = input.reference;
  const card: ModelCard = {
    name: input.name,
    version: input.version,
    model_type: input.model.kind,
    label: {
      source: TARGET_COLUMN,
      rule: input.labelRule ?? 'is_vulnerable = target < 1.77 (Struggling or Severely Struggling)',
    },
    feature_spec: input.spec,
    feature_names: names,
    training_window: { ...input.trainingWindow },
    rows: { ...input.rows },
    metrics: cardMetrics(input.testMetrics),
    feature_importances: featureImportances(input.model, names),
    hyperparameters: { ...input.model.params },
    reference: {
      source: ref.source,
      rows: ref.rows,
      features: featureReferences(input.spec, ref.X, ref.rows, names.length),
      score: numericReference('score', ref.scores),
    },
    onnx: {
      sha256: sha256Hex(input.onnx),
      bytes: input.onnx.length,
      input: 'features',
      outputs: ['label', 'probabilities'],
      ir_version: IR_VERSION,
      opset: OPSET,
      ml_opset: ML_OPSET,
    },
    created_at: (input.createdAt ?? new Date()).toISOString(),
    trainer_version: TRAINER_VERSION,
  };
  return ModelCardSchema.parse(card);
}

/** Parses and validates a model card (e.g. a downloaded `model.json`). */
export function parseModelCard(input: unknown): ModelCard {
  return ModelCardSchema.parse(input);
}
