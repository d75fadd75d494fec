/**
 * Feature spec + featurizer: the one place where a survey becomes a model row.
 *
 * A spec is JSON data (validated by {@link FeatureSpecSchema}); `fitSpec` learns its statistics from
 * training rows; `featurize`/`featurizeBatch` apply it identically at training and scoring time.
 */
export {
  FeatureSpecSchema,
  DerivedSchema,
  NumericFeatureSchema,
  CategoricalFeatureSchema,
  BinaryFeatureSchema,
  parseFeatureSpec,
  type FeatureSpec,
  type DerivedDef,
  type NumericFeature,
  type CategoricalFeature,
  type BinaryFeature,
} from './schema.js';
export {
  featurize,
  featurizeBatch,
  featurizeInto,
  featureCount,
  featureNames,
  SpecNotFittedError,
  OTHER_CATEGORY,
  type FeatureMatrix,
} from './featurize.js';
export { fitSpec } from './fit.js';
export {
  LEAKING_COLUMNS,
  LeakageError,
  assertNoLeakage,
  leakingColumnsOf,
  sourceColumns,
} from './leakage.js';
export {
  DEFAULT_SPEC_NAME,
  INCOME_SOURCES,
  SPEC_TEMPLATES,
  honestV1Template,
  seedPartATemplate,
} from './specs.js';
export { toNumber, toCategory, type RawValue } from './sources.js';
