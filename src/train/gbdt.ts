/**
 * Histogram gradient-boosted decision trees for binary classification (log loss).
 *
 * Per tree: gradients g = p − y, hessians h = p(1 − p); optional row subsample and per-tree column
 * subsample; depth-first growth with histogram subtraction; leaf value −G/(H + λ) · learning rate.
 * Early stopping watches validation log loss and keeps the best iteration.
 */
import { boost } from './boost.js';
import { DEFAULT_GBDT_PARAMS, type GbdtParams } from './gbdt-params.js';
import { checkDataset, sigmoid, subsetRows, type Dataset } from './dataset.js';
import { stratifiedSplit } from './splits.js';
import { treeValue, type Tree } from './tree.js';

export { DEFAULT_GBDT_PARAMS, type GbdtParams } from './gbdt-params.js';

/** A trained GBDT (plain data: JSON-serialisable). */
export interface GbdtModel {
  readonly kind: 'gbdt';
  readonly nFeatures: number;
  /** Initial raw score (log-odds of the training prior), float32. */
  readonly baseScore: number;
  readonly trees: Tree[];
  /** Total split gain per feature. */
  readonly featureGain: number[];
  readonly params: GbdtParams;
  /** Validation log loss after each tree (empty without validation). */
  readonly validLoss: number[];
  /** True when early stopping ended training before `nEstimators` trees. */
  readonly stoppedEarly: boolean;
}

function resolveValidation(
  train: Dataset,
  valid: Dataset | undefined,
  p: GbdtParams,
): [Dataset, Dataset | null] {
  if (valid) return [train, valid];
  if (p.earlyStoppingRounds <= 0 || p.validationFraction <= 0) return [train, null];
  const s = stratifiedSplit(train.y, { test: p.validationFraction, seed: p.seed });
  return [subsetRows(train, s.train), subsetRows(train, s.test)];
}

function priorLogOdds(y: ArrayLike<number>, n: number): number {
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i]!;
  const pr = Math.min(Math.max(pos / n, 1e-6), 1 - 1e-6);
  return Math.fround(Math.log(pr / (1 - pr)));
}

function checkParams(p: GbdtParams): void {
  const bad = (name: string, ok: boolean): void => {
    if (!ok) throw new RangeError(`invalid GBDT parameter ${name}`);
  };
  bad('nEstimators', Number.isInteger(p.nEstimators) && p.nEstimators >= 1);
  bad('learningRate', p.learningRate > 0);
  bad('maxDepth', Number.isInteger(p.maxDepth) && p.maxDepth >= 0);
  bad('lambda', p.lambda >= 0);
  bad('minSamplesLeaf', p.minSamplesLeaf >= 1);
  bad('subsample', p.subsample > 0 && p.subsample <= 1);
  bad('colsample', p.colsample > 0 && p.colsample <= 1);
  bad('validationFraction', p.validationFraction >= 0 && p.validationFraction < 1);
}

/**
 * Trains a GBDT.
 * @param train training rows (NaN = missing is allowed; it gets its own bin and a learned direction).
 * @param options hyperparameters; see {@link DEFAULT_GBDT_PARAMS}.
 * @param valid early-stopping rows; when absent and early stopping is on, a stratified share of `train` is held out.
 */
export function trainGbdt(
  train: Dataset,
  options: Partial<GbdtParams> = {},
  valid?: Dataset,
): GbdtModel {
  const p: GbdtParams = { ...DEFAULT_GBDT_PARAMS, ...options };
  checkParams(p);
  checkDataset(train);
  if (valid) checkDataset(valid);
  const [fit, val] = resolveValidation(train, valid, p);
  const base = priorLogOdds(fit.y, fit.rows);
  const result = boost(fit, val, p, base);
  return finish(result.trees, fit.cols, base, p, result.validLoss, result.stoppedEarly);
}

function finish(
  trees: Tree[],
  cols: number,
  baseScore: number,
  params: GbdtParams,
  validLoss: number[],
  stoppedEarly: boolean,
): GbdtModel {
  const featureGain = new Array<number>(cols).fill(0);
  for (const t of trees) {
    t.feature.forEach((f, i) => {
      if (f >= 0) featureGain[f] = featureGain[f]! + t.gain[i]!;
    });
  }
  return {
    kind: 'gbdt',
    nFeatures: cols,
    baseScore,
    trees,
    featureGain,
    params,
    validLoss,
    stoppedEarly,
  };
}

/** Raw scores (log-odds) for rows of a float32 matrix. */
export function gbdtPredictRaw(
  model: GbdtModel,
  X: Float32Array,
  rows: number,
  cols: number,
): Float64Array {
  if (cols !== model.nFeatures)
    throw new RangeError(`model expects ${model.nFeatures} features, got ${cols}`);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = model.baseScore;
    for (const t of model.trees) s += treeValue(t, X, r * cols);
    out[r] = s;
  }
  return out;
}

/** P(y = 1) for rows of a float32 matrix (reference for the ONNX export). */
export function gbdtPredictProba(
  model: GbdtModel,
  X: Float32Array,
  rows: number,
  cols: number,
): Float64Array {
  return gbdtPredictRaw(model, X, rows, cols).map(sigmoid);
}
