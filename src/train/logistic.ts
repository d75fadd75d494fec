/**
 * L2-regularised logistic regression on internally standardised inputs, fitted with L-BFGS.
 * Objective: mean log loss + (l2 / 2)·‖w‖² on standardised features (the intercept is not penalised).
 * The model keeps the standardisation, so ONNX can apply it as `Scaler` before `LinearClassifier`.
 */
import { checkDataset, sigmoid, type Dataset } from './dataset.js';
import { lbfgs } from './lbfgs.js';

/** Logistic regression hyperparameters. */
export interface LogisticParams {
  /** L2 penalty on standardised coefficients (per mean loss). @default 1e-4 */
  readonly l2: number;
  /** @default 300 */
  readonly maxIter: number;
  /** Gradient tolerance. @default 1e-7 */
  readonly tol: number;
}

/** Defaults for {@link LogisticParams}. */
export const DEFAULT_LOGISTIC_PARAMS: LogisticParams = { l2: 1e-4, maxIter: 300, tol: 1e-7 };

/** A trained logistic regression (plain data). All numbers are float32-exact, as in ONNX. */
export interface LogisticModel {
  readonly kind: 'logistic';
  readonly nFeatures: number;
  /** Standardisation: z = (x − offset) · scale. */
  readonly offset: number[];
  readonly scale: number[];
  /** Coefficients on standardised inputs. */
  readonly coef: number[];
  readonly intercept: number;
  readonly params: LogisticParams;
  readonly iterations: number;
  readonly converged: boolean;
  /** Final training objective. */
  readonly loss: number;
}

function standardisation(ds: Dataset): { offset: Float64Array; scale: Float64Array } {
  const { X, rows, cols } = ds;
  const mean = new Float64Array(cols);
  const sq = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) mean[c] = mean[c]! + X[r * cols + c]!;
  }
  mean.forEach((s, c) => (mean[c] = Math.fround(s / rows)));
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) sq[c] = sq[c]! + (X[r * cols + c]! - mean[c]!) ** 2;
  }
  const scale = sq.map((s) => {
    const sd = Math.sqrt(s / rows);
    return Math.fround(sd > 1e-12 ? 1 / sd : 1);
  });
  return { offset: mean, scale };
}

/** Standardised copy of X computed in float32 steps, exactly as the ONNX Scaler does. */
function standardise(
  X: Float32Array,
  rows: number,
  cols: number,
  offset: ArrayLike<number>,
  scale: ArrayLike<number>,
): Float64Array {
  const Z = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const k = r * cols + c;
      Z[k] = Math.fround(Math.fround(X[k]! - offset[c]!) * scale[c]!);
    }
  }
  return Z;
}

function objective(Z: Float64Array, y: ArrayLike<number>, rows: number, cols: number, l2: number) {
  return (w: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    for (let r = 0; r < rows; r++) {
      let z = w[cols]!;
      const base = r * cols;
      for (let c = 0; c < cols; c++) z += w[c]! * Z[base + c]!;
      // one exp for both the stable softplus and the sigmoid
      const t = Math.exp(-Math.abs(z));
      loss += Math.max(z, 0) + Math.log1p(t) - y[r]! * z;
      const e = (z >= 0 ? 1 / (1 + t) : t / (1 + t)) - y[r]!;
      for (let c = 0; c < cols; c++) grad[c] = grad[c]! + e * Z[base + c]!;
      grad[cols] = grad[cols]! + e;
    }
    let pen = 0;
    for (let c = 0; c <= cols; c++) grad[c] = grad[c]! / rows;
    for (let c = 0; c < cols; c++) {
      pen += w[c]! * w[c]!;
      grad[c] = grad[c]! + l2 * w[c]!;
    }
    return loss / rows + 0.5 * l2 * pen;
  };
}

/** Trains a logistic regression. */
export function trainLogistic(
  train: Dataset,
  options: Partial<LogisticParams> = {},
): LogisticModel {
  const params: LogisticParams = { ...DEFAULT_LOGISTIC_PARAMS, ...options };
  checkDataset(train);
  const { rows, cols } = train;
  const { offset, scale } = standardisation(train);
  const Z = standardise(train.X, rows, cols, offset, scale);
  const res = lbfgs(objective(Z, train.y, rows, cols, params.l2), new Float64Array(cols + 1), {
    maxIter: params.maxIter,
    gradTol: params.tol,
  });
  return {
    kind: 'logistic',
    nFeatures: cols,
    offset: Array.from(offset),
    scale: Array.from(scale),
    coef: Array.from(res.w.subarray(0, cols), Math.fround),
    intercept: Math.fround(res.w[cols]!),
    params,
    iterations: res.iterations,
    converged: res.converged,
    loss: res.f,
  };
}

/** P(y = 1) for rows of a float32 matrix (reference for the ONNX export). */
export function logisticPredictProba(
  model: LogisticModel,
  X: Float32Array,
  rows: number,
  cols: number,
): Float64Array {
  if (cols !== model.nFeatures)
    throw new RangeError(`model expects ${model.nFeatures} features, got ${cols}`);
  const out = new Float64Array(rows);
  const { offset, scale, coef } = model;
  for (let r = 0; r < rows; r++) {
    let z = model.intercept;
    for (let c = 0; c < cols; c++) {
      z += coef[c]! * Math.fround(Math.fround(X[r * cols + c]! - offset[c]!) * scale[c]!);
    }
    out[r] = sigmoid(z);
  }
  return out;
}
