/** Trained models on featurized synthetic surveys, shared by the model tests. */
import {
  featureNames,
  featurizeBatch,
  fitSpec,
  honestV1Template,
} from '../../../src/featurize/index.js';
import {
  stratifiedSplit,
  trainGbdt,
  trainLogistic,
  type Dataset,
} from '../../../src/train/index.js';
import { syntheticSurveys } from '../featurize/synthetic-surveys.js';

/** Featurized train/test sets, the fitted spec and both trained models. */
export function trainedFixture(count = 5000) {
  const surveys = syntheticSurveys(count, 11);
  const y = Uint8Array.from(surveys, (s) => s.vulnerable);
  const split = stratifiedSplit(y, { test: 0.4, seed: 1 });
  const trainRows = Array.from(split.train, (i) => surveys[i]!.values);
  const testRows = Array.from(split.test, (i) => surveys[i]!.values);
  const spec = fitSpec(honestV1Template(), trainRows);
  const a = featurizeBatch(spec, trainRows);
  const b = featurizeBatch(spec, testRows);
  const train: Dataset = {
    X: a.data,
    y: Uint8Array.from(split.train, (i) => y[i]!),
    rows: a.rows,
    cols: a.cols,
  };
  const test: Dataset = {
    X: b.data,
    y: Uint8Array.from(split.test, (i) => y[i]!),
    rows: b.rows,
    cols: b.cols,
  };
  return {
    spec,
    names: featureNames(spec),
    train,
    test,
    gbdt: trainGbdt(train, { nEstimators: 120, maxDepth: 6, subsample: 0.8, colsample: 0.8 }),
    logistic: trainLogistic(train),
  };
}
