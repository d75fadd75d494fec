/**
 * Model artifacts: ONNX export of trained models (IR 8, opset 15, ai.onnx.ml 3) and the model
 * card (`model.json`) with the feature spec, metrics and drift reference distributions.
 */
export { exportGbdtToOnnx, type ExportOptions } from './export-gbdt.js';
export { exportLogisticToOnnx } from './export-logistic.js';
export { exportToOnnx } from './export.js';
export { decodeModel, IR_VERSION, OPSET, ML_OPSET, ML_DOMAIN } from './onnx-proto.js';
export {
  buildModelCard,
  parseModelCard,
  cardMetrics,
  sha256Hex,
  ModelCardSchema,
  CardMetricsSchema,
  type ModelCard,
  type ModelCardInput,
  type CardMetrics,
} from './card.js';
export {
  featureReferences,
  numericReference,
  categoricalReference,
  referenceBin,
  UNKNOWN_CATEGORY,
  FeatureReferenceSchema,
  NumericReferenceSchema,
  CategoricalReferenceSchema,
  type FeatureReference,
  type NumericReference,
  type CategoricalReference,
} from './reference.js';
