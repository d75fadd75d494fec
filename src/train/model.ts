/**
 * The trained-model union, a kind-dispatching `predictProba`, and feature importances.
 */
import { gbdtPredictProba, type GbdtModel } from './gbdt.js';
import { logisticPredictProba, type LogisticModel } from './logistic.js';

/** Any model the trainer produces. */
export type TrainedModel = GbdtModel | LogisticModel;

/** The trainer's version, recorded in model cards. */
export const TRAINER_VERSION = '1.0.0';

/**
 * P(y = 1) for each row of a row-major float32 matrix `X` (rows × cols). This is the TypeScript
 * reference implementation that the ONNX exports are checked against.
 */
export function predictProba(
  model: TrainedModel,
  X: Float32Array,
  rows: number,
  cols: number,
): Float64Array {
  if (X.length !== rows * cols)
    throw new RangeError(`X has ${X.length} values, expected ${rows * cols}`);
  return model.kind === 'gbdt'
    ? gbdtPredictProba(model, X, rows, cols)
    : logisticPredictProba(model, X, rows, cols);
}

/** A model bound to its scorer: `predictProba(X, rows, cols)` with no model argument. */
export interface Predictor {
  readonly model: TrainedModel;
  predictProba(X: Float32Array, rows: number, cols: number): Float64Array;
}

/** Wraps a (plain-data) model as a {@link Predictor}. */
export function createPredictor(model: TrainedModel): Predictor {
  return { model, predictProba: (X, rows, cols) => predictProba(model, X, rows, cols) };
}

/** A named importance. */
export interface FeatureImportance {
  readonly name: string;
  readonly importance: number;
}

/**
 * Feature importances, largest first: GBDT total split gain normalised to sum 1; logistic
 * regression |coefficient| on standardised inputs (comparable across features).
 */
export function featureImportances(
  model: TrainedModel,
  names: readonly string[],
): FeatureImportance[] {
  if (names.length !== model.nFeatures)
    throw new RangeError(`expected ${model.nFeatures} names, got ${names.length}`);
  let values: number[];
  if (model.kind === 'gbdt') {
    const total = model.featureGain.reduce((a, b) => a + b, 0);
    values = model.featureGain.map((g) => (total > 0 ? g / total : 0));
  } else {
    values = model.coef.map(Math.abs);
  }
  return names
    .map((name, i) => ({ name, importance: values[i]! }))
    .sort((a, b) => b.importance - a.importance);
}
