/**
 * Synthetic household surveys for tests, demos and the baseline model: realistic, deterministic by
 * seed, with optional drift and error injection.
 */
export { generateSurveys } from './generate.js';
export { CSV_HEADER, META_COLUMNS, csvCell, toCsvRow, toNdjsonLine } from './serialize.js';
export { DISTRICT_PROFILES, PLACES, type DistrictProfile, type Place } from './gazetteer.js';
export { APP_VERSION, SCHEMA_VERSION, SURVEYS_PER_DAY } from './meta.js';
export { OBSERVABLE_WEALTH_CORRELATION } from './household.js';
export { Rng, mixSeed } from './rng.js';
export {
  INJECTED_ERROR_KINDS,
  type DriftOptions,
  type ErrorOptions,
  type GeneratedSurvey,
  type GeneratorOptions,
  type InjectedError,
  type InjectedErrorKind,
  type SurveyMeta,
} from './types.js';
