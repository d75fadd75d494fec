/**
 * Types of the declarative validation rule set.
 */
import type { SurveyValues } from '../domain/fields.js';

/** `error` rejects the record to the DLQ; `warning` keeps it and lowers its quality score. */
export const SEVERITY = { error: 'error', warning: 'warning' } as const;
export type Severity = (typeof SEVERITY)[keyof typeof SEVERITY];

/** What a rule checks. */
export const RULE_KIND = {
  required: 'required',
  type: 'type',
  range: 'range',
  enum: 'enum',
  crossField: 'cross_field',
  logic: 'logic',
  outlier: 'outlier',
} as const;
export type RuleKind = (typeof RULE_KIND)[keyof typeof RULE_KIND];

/** One validation rule, as data plus a pure check. */
export interface Rule {
  /** Stable id, `<kind>.<column>[.<what>]`, e.g. `range.HouseholdSize`. */
  readonly id: string;
  readonly severity: Severity;
  readonly kind: RuleKind;
  /** Columns the rule reads (original names). */
  readonly fields: readonly string[];
  readonly description: string;
  /** Returns a message when the rule is broken, `null` when it holds or cannot be checked. */
  readonly check: (v: SurveyValues) => string | null;
}

/** A broken rule on one record. */
export interface RuleHit {
  ruleId: string;
  severity: Severity;
  fields: string[];
  message: string;
}

/** Outcome of validating one record. */
export interface ValidationResult {
  /** True when no hit has severity `error`. */
  valid: boolean;
  hits: RuleHit[];
  /** 0..1, see `qualityScore`. */
  qualityScore: number;
}
