/**
 * Kind-dispatching ONNX export.
 */
import type { TrainedModel } from '../train/index.js';
import { exportGbdtToOnnx, type ExportOptions } from './export-gbdt.js';
import { exportLogisticToOnnx } from './export-logistic.js';

/** Exports any trained model (GBDT or logistic regression) to ONNX bytes. */
export function exportToOnnx(
  model: TrainedModel,
  featureNames: readonly string[],
  opts: ExportOptions = {},
): Uint8Array {
  return model.kind === 'gbdt'
    ? exportGbdtToOnnx(model, featureNames, opts)
    : exportLogisticToOnnx(model, featureNames, opts);
}
