/**
 * GBDT hyperparameters and their defaults (shared by the trainer and the boosting loop).
 */

/** GBDT hyperparameters. */
export interface GbdtParams {
  /** Maximum number of trees. @default 200 */
  readonly nEstimators: number;
  /** Shrinkage. @default 0.1 */
  readonly learningRate: number;
  /** Maximum depth (root = 0). @default 6 */
  readonly maxDepth: number;
  /** L2 penalty on leaf values. @default 1 */
  readonly lambda: number;
  /** Minimum split gain. @default 0 */
  readonly gamma: number;
  /** Minimum hessian sum per leaf. @default 1e-3 */
  readonly minChildWeight: number;
  /** Minimum rows per leaf. @default 20 */
  readonly minSamplesLeaf: number;
  /** Value bins per feature (≤ 255; missing values get their own bin). @default 255 */
  readonly maxBins: number;
  /** Row fraction sampled (without replacement) per tree. @default 1 */
  readonly subsample: number;
  /** Feature fraction sampled per tree. @default 1 */
  readonly colsample: number;
  /** Stop after this many trees without validation improvement; 0 disables. @default 10 */
  readonly earlyStoppingRounds: number;
  /** Share of training rows held out (stratified) for early stopping when no validation set is given. @default 0.1 */
  readonly validationFraction: number;
  /** Seed for subsampling and the internal validation split. @default 42 */
  readonly seed: number;
}

/** Defaults for {@link GbdtParams}. */
export const DEFAULT_GBDT_PARAMS: GbdtParams = {
  nEstimators: 200,
  learningRate: 0.1,
  maxDepth: 6,
  lambda: 1,
  gamma: 0,
  minChildWeight: 1e-3,
  minSamplesLeaf: 20,
  maxBins: 255,
  subsample: 1,
  colsample: 1,
  earlyStoppingRounds: 10,
  validationFraction: 0.1,
  seed: 42,
};
