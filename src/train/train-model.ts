/**
 * One call from labelled surveys to a deployable model: split → fit the feature spec on the
 * training rows → featurize → train (GBDT or logistic) → evaluate on the test rows → ONNX + card.
 */
import { deriveLabel } from '../domain/labels.js';
import type { SurveyValues } from '../domain/fields.js';
import { SPEC_TEMPLATES, featureNames, featurizeBatch, fitSpec, type FeatureSpec } from '../featurize/index.js';
import { buildModelCard, exportToOnnx, type ModelCard } from '../model/index.js';
import { PipelineError } from '../errors.js';
import { subsetRows, type Dataset } from './dataset.js';
import { trainGbdt, type GbdtParams } from './gbdt.js';
import { trainLogistic, type LogisticParams } from './logistic.js';
import { evaluate } from './metrics.js';
import { predictProba, type TrainedModel } from './model.js';
import { stratifiedSplit, timeSplit, type SplitIndices } from './splits.js';

export interface LabelledSurvey {
  values: SurveyValues;
  /** Survey date (YYYY-MM-DD), for time-based splits and the training window. */
  date?: string | null | undefined;
}

export interface TrainModelOptions {
  name: string;
  version: string;
  algo: 'gbdt' | 'logistic';
  /** Feature spec template. @default 'honest-v1' */
  spec?: string;
  /** 'time': the newest surveys are the test part (what production sees next). @default 'stratified' */
  split?: 'stratified' | 'time';
  testShare?: number;
  validShare?: number;
  seed?: number;
  gbdt?: Partial<GbdtParams>;
  logistic?: Partial<LogisticParams>;
}

export interface TrainedArtifact {
  model: TrainedModel;
  spec: FeatureSpec;
  onnx: Uint8Array;
  card: ModelCard;
}

function labelled(rows: readonly LabelledSurvey[]): { rows: LabelledSurvey[]; y: Float32Array } {
  const kept = rows.filter((r) => deriveLabel(r.values) !== null);
  const y = new Float32Array(kept.length);
  kept.forEach((r, i) => (y[i] = deriveLabel(r.values)!.isVulnerable ? 1 : 0));
  return { rows: kept, y };
}

function split(rows: readonly LabelledSurvey[], y: Float32Array, o: TrainModelOptions): SplitIndices & { window: { from: string | null; to: string | null } } {
  const test = o.testShare ?? 0.2;
  const valid = o.validShare ?? 0.1;
  const dates = rows.map((r) => r.date ?? '');
  const known = dates.filter(Boolean).sort();
  const window = { from: known[0] ?? null, to: known[known.length - 1] ?? null };
  if ((o.split ?? 'stratified') === 'time') {
    if (known.length !== rows.length) throw new PipelineError('INVALID_ARGUMENT', 'a time-based split needs a survey_date on every row', false);
    const s = timeSplit(dates, { test, valid });
    return { ...s, window: { from: s.ranges.train?.from ?? null, to: s.ranges.train?.to ?? null } };
  }
  return { ...stratifiedSplit(y, { test, valid, seed: o.seed ?? 42 }), window };
}

/** Trains and packages a model. Rows without a label (no daily target) are left out. */
export function trainModel(input: readonly LabelledSurvey[], o: TrainModelOptions): TrainedArtifact {
  const template = SPEC_TEMPLATES[o.spec ?? 'honest-v1'];
  if (!template) throw new PipelineError('INVALID_ARGUMENT', `unknown feature spec "${o.spec ?? ''}" (known: ${Object.keys(SPEC_TEMPLATES).join(', ')})`, false);
  const { rows, y } = labelled(input);
  if (rows.length < 100) throw new PipelineError('INVALID_ARGUMENT', `need at least 100 labelled surveys to train, got ${rows.length}`, false);
  const parts = split(rows, y, o);
  const spec = fitSpec(template(), [...parts.train].map((i) => rows[i]!.values));
  const m = featurizeBatch(spec, rows.map((r) => r.values));
  const all: Dataset = { X: m.data, y, rows: m.rows, cols: m.cols };
  const train = subsetRows(all, parts.train);
  const valid = parts.valid.length > 0 ? subsetRows(all, parts.valid) : undefined;
  const test = subsetRows(all, parts.test);
  const model: TrainedModel = o.algo === 'gbdt' ? trainGbdt(train, o.gbdt, valid) : trainLogistic(train, o.logistic);
  const scores = predictProba(model, test.X, test.rows, test.cols);
  const onnx = exportToOnnx(model, featureNames(spec), { name: o.name, version: o.version });
  const card = buildModelCard({
    name: o.name,
    version: o.version,
    model,
    spec,
    onnx,
    trainingWindow: parts.window,
    rows: { train: parts.train.length, valid: parts.valid.length, test: parts.test.length },
    testMetrics: evaluate(test.y, scores),
    reference: { source: 'test', X: test.X, rows: test.rows, scores },
  });
  return { model, spec, onnx, card };
}
