/**
 * Validation stage: one declarative rule set (required, type, range, enum, cross-field, survey logic,
 * statistical outliers), a per-record quality score, and value normalisation for later stages.
 * See docs/validation.md for every rule.
 */
export {
  RULE_KIND,
  SEVERITY,
  type Rule,
  type RuleHit,
  type RuleKind,
  type Severity,
  type ValidationResult,
} from './types.js';
export { INTERNAL_ERROR_RULE_ID, RULES } from './rules.js';
export { WARNING_PENALTY, qualityScore, validateSurvey } from './validate-survey.js';
export { canonicalKeys, normalize } from './normalize.js';
export {
  ASSET_MAX,
  DAILY_MAX,
  ENUMS,
  EXPECTED_FIELDS,
  MONEY_MAX,
  OUTLIERS,
  PHONES_SENTINEL,
  SPARSE_FIELDS,
  TEXT_MAX_LENGTH,
  rangeFor,
  type EnumSpec,
  type OutlierSpec,
  type Range,
} from './tables.js';
