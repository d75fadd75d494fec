/**
 * Logistic regression → ai.onnx.ml `Scaler` (z = (x − offset) · scale) followed by a binary
 * `LinearClassifier` (post_transform LOGISTIC → probabilities [1 − p, p]). Keeping the
 * standardisation as its own node avoids float32 cancellation between large raw coefficients
 * and the intercept.
 */
import type { LogisticModel } from '../train/index.js';
import type { ExportOptions } from './export-gbdt.js';
import { attr, classifierIo, encodeModel, ML_DOMAIN } from './onnx-proto.js';

/**
 * Exports a trained logistic regression as an ONNX model (IR 8, opset 15, ai.onnx.ml 3).
 * Input `features` float [N, F]; outputs `label` int64 [N] and `probabilities` float [N, 2].
 */
export function exportLogisticToOnnx(
  model: LogisticModel,
  featureNames: readonly string[],
  opts: ExportOptions = {},
): Uint8Array {
  if (featureNames.length !== model.nFeatures) {
    throw new RangeError(`expected ${model.nFeatures} feature names, got ${featureNames.length}`);
  }
  const scaler = {
    name: 'standardize',
    opType: 'Scaler',
    domain: ML_DOMAIN,
    input: ['features'],
    output: ['standardized'],
    attribute: [attr.floats('offset', model.offset), attr.floats('scale', model.scale)],
  };
  const linear = {
    name: 'logistic',
    opType: 'LinearClassifier',
    domain: ML_DOMAIN,
    input: ['standardized'],
    output: ['label', 'probabilities'],
    attribute: [
      attr.ints('classlabels_ints', [0, 1]),
      attr.floats('coefficients', model.coef),
      attr.floats('intercepts', [model.intercept]),
      attr.int('multi_class', 0),
      attr.string('post_transform', 'LOGISTIC'),
    ],
  };
  return encodeModel([scaler, linear], classifierIo(model.nFeatures), {
    graphName: 'surveystream_logistic',
    docString: 'L2 logistic regression; probabilities[:, 1] = P(vulnerable)',
    metadata: {
      model_type: 'logistic',
      feature_names: JSON.stringify(featureNames),
      ...(opts.name ? { name: opts.name } : {}),
      ...(opts.version ? { version: opts.version } : {}),
      ...opts.metadata,
    },
  });
}
