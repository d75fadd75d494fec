/**
 * Training: histogram GBDT and logistic regression for the binary "vulnerable" label, splits and
 * metrics. Models are plain JSON-serialisable data; `predictProba` is the reference scorer.
 */
export { type Dataset, checkDataset, subsetRows, sigmoid } from './dataset.js';
export {
  trainGbdt,
  gbdtPredictRaw,
  gbdtPredictProba,
  DEFAULT_GBDT_PARAMS,
  type GbdtModel,
  type GbdtParams,
} from './gbdt.js';
export { type Tree } from './tree.js';
export {
  trainLogistic,
  logisticPredictProba,
  DEFAULT_LOGISTIC_PARAMS,
  type LogisticModel,
  type LogisticParams,
} from './logistic.js';
export {
  predictProba,
  createPredictor,
  featureImportances,
  TRAINER_VERSION,
  type TrainedModel,
  type Predictor,
  type FeatureImportance,
} from './model.js';
export {
  stratifiedSplit,
  timeSplit,
  type SplitIndices,
  type StratifiedSplitOptions,
  type TimeSplit,
  type TimeSplitOptions,
} from './splits.js';
export {
  evaluate,
  confusionMatrix,
  classificationScores,
  rocAuc,
  averagePrecision,
  logLoss,
  brierScore,
  calibrationTable,
  type MetricsReport,
  type Confusion,
  type CalibrationBin,
} from './metrics.js';
export { createRng, type Rng } from './random.js';
export { fitBins, binMatrix, type BinMapper } from './binning.js';
