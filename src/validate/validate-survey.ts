/**
 * Runs the rule set on one record and scores its quality.
 */
import type { SurveyValues } from '../domain/fields.js';
import { canonicalKeys, isNormalizedBlank } from './normalize.js';
import { INTERNAL_ERROR_RULE_ID, RULES } from './rules.js';
import { EXPECTED_FIELDS } from './tables.js';
import type { Rule, RuleHit, ValidationResult } from './types.js';
import { isMissing } from './values.js';

/** Each warning multiplies the quality score by this factor. */
export const WARNING_PENALTY = 0.9;

function allMissing(fields: readonly string[], values: SurveyValues): boolean {
  for (const f of fields) if (!isMissing(values[f])) return false;
  return true;
}

function runRule(rule: Rule, values: SurveyValues): RuleHit | null {
  if (rule.kind !== 'required' && allMissing(rule.fields, values)) return null;
  try {
    const message = rule.check(values);
    if (message === null) return null;
    return { ruleId: rule.id, severity: rule.severity, fields: [...rule.fields], message };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return {
      ruleId: INTERNAL_ERROR_RULE_ID,
      severity: 'error',
      fields: [...rule.fields],
      message: `rule ${rule.id} failed: ${reason}`,
    };
  }
}

/**
 * Data-quality score of a record, in [0, 1]:
 *
 *   score = 0                                   if any hit has severity `error`
 *   score = completeness × 0.9^warnings         otherwise
 *
 * where completeness = (expected fields that are filled) / (expected fields), the expected fields being
 * every optional survey column except the usually blank ones and the target (`EXPECTED_FIELDS`), and
 * "filled" is judged after {@link normalize} (so `phones_owned = -99` counts as blank).
 */
export function qualityScore(values: SurveyValues, hits: readonly RuleHit[]): number {
  if (hits.some((h) => h.severity === 'error')) return 0;
  const v = canonicalKeys(values);
  let filled = 0;
  for (const f of EXPECTED_FIELDS) if (!isNormalizedBlank(f, v[f])) filled += 1;
  const warnings = hits.filter((h) => h.severity === 'warning').length;
  return (filled / EXPECTED_FIELDS.length) * WARNING_PENALTY ** warnings;
}

/**
 * Validates one survey against `rules` (default {@link RULES}).
 *
 * Alias keys are renamed first ({@link canonicalKeys}); no other change is made. A rule is skipped when
 * all of its fields are blank, except `required` rules. A rule whose check throws does not stop
 * validation: it is reported as a `rule.internal_error` hit with severity `error`.
 */
export function validateSurvey(
  values: SurveyValues,
  rules: readonly Rule[] = RULES,
): ValidationResult {
  const v = canonicalKeys(values);
  const hits: RuleHit[] = [];
  for (const rule of rules) {
    const hit = runRule(rule, v);
    if (hit) hits.push(hit);
  }
  return {
    valid: !hits.some((h) => h.severity === 'error'),
    hits,
    qualityScore: qualityScore(v, hits),
  };
}
