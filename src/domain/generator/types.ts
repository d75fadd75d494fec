/**
 * Public types of the synthetic survey generator.
 */
import type { District, SurveyValues } from '../fields.js';

/** Submission metadata that travels with a survey but is not a survey column. */
export interface SurveyMeta {
  /** Device-assigned instance id (UUID-like, deterministic from the seed). */
  submissionId: string;
  /** Set on an edited survey: the submission id it supersedes. */
  deprecatedId?: string;
  /** `DEV-####`. */
  deviceId: string;
  /** `FO-###`; each device belongs to one field officer. */
  fieldOfficerId: string;
  /** `YYYY-MM-DD`. */
  surveyDate: string;
  appVersion: string;
  /** Survey schema version, `'1'`. */
  schemaVersion: string;
}

/** Kinds of injected problems. The first four fail validation; `duplicate` and `edit` are valid. */
export const INJECTED_ERROR_KINDS = [
  'wrong_type',
  'out_of_range',
  'missing_required',
  'bad_district',
  'duplicate',
  'edit',
] as const;
export type InjectedErrorKind = (typeof INJECTED_ERROR_KINDS)[number];

/** What was injected into a record, with the validator rule ids it must trigger at error severity. */
export interface InjectedError {
  kind: InjectedErrorKind;
  /** Exactly the error-severity rule ids the validator reports for this record (empty when valid). */
  ruleIds: string[];
  /** The column that was changed, when one was. */
  field?: string;
}

/** One generated survey. */
export interface GeneratedSurvey {
  meta: SurveyMeta;
  /** Survey columns keyed by original column name, in dictionary order. */
  values: SurveyValues;
  /** Present only on records with an injected problem. */
  injected?: InjectedError;
}

/** Distribution changes, for drift tests. */
export interface DriftOptions {
  /** Add `sd` × the column's standard deviation (measured on clean generated data) to a numeric column. */
  shift?: { column: string; sd: number }[];
  /** Relative district weights; districts left out keep their real share as weight. */
  districtMix?: Partial<Record<District, number>>;
  /**
   * Replace the column's value by `value` in a share `rate` of records. These records are not marked
   * as injected: a value outside a validated enumeration (e.g. District 'Kabale') makes them invalid.
   */
  newCategory?: { column: string; value: string | number; rate: number };
}

/** Error injection. */
export interface ErrorOptions {
  /** Share (0..1) of records that get one injected problem. */
  rate: number;
  /** Kinds to draw from, uniformly. @default all of {@link INJECTED_ERROR_KINDS} */
  kinds?: InjectedErrorKind[];
}

/** Generator options. */
export interface GeneratorOptions {
  /** Seed; the same options always produce the same records. */
  seed: number;
  /** Number of records to yield (duplicates and edits included). */
  count: number;
  drift?: DriftOptions;
  errors?: ErrorOptions;
  /** First survey date, `YYYY-MM-DD`. @default '2025-01-06' */
  startDate?: string;
  /** Number of devices. @default 50 */
  devices?: number;
  /** Prefix for submission ids (keeps ids unique across runs that share a seed). @default '' */
  idPrefix?: string;
}
