/**
 * Ground-truth labels derived from the daily target (SEED_SPEC §2, DESIGN §5).
 */
import { TARGET_COLUMN, type SurveyValues } from './fields.js';

/** The four ProgressStatus classes, best to worst. */
export const PROGRESS_STATUS = [
  'On Track',
  'At Risk',
  'Struggling',
  'Severely Struggling',
] as const;
export type ProgressStatus = (typeof PROGRESS_STATUS)[number];

/** Lower bounds (USD/day, inclusive) of On Track, At Risk and Struggling. */
export const LABEL_THRESHOLDS = { onTrack: 2.15, atRisk: 1.77, struggling: 1.25 } as const;

/** Classes that count as vulnerable. */
export const VULNERABLE_STATUSES: readonly ProgressStatus[] = ['Struggling', 'Severely Struggling'];

/**
 * The ProgressStatus of a daily target (USD/day). Bins are left-closed and checked top-down:
 * On Track ≥ 2.15 > At Risk ≥ 1.77 > Struggling ≥ 1.25 > Severely Struggling.
 *
 * @throws RangeError when `dailyTarget` is not a finite number (the seed system silently labelled NaN
 *   "Severely Struggling"; callers must decide what a missing target means, see {@link deriveLabel}).
 */
export function progressStatus(dailyTarget: number): ProgressStatus {
  if (!Number.isFinite(dailyTarget)) {
    throw new RangeError(`daily target must be a finite number, got ${String(dailyTarget)}`);
  }
  if (dailyTarget >= LABEL_THRESHOLDS.onTrack) return 'On Track';
  if (dailyTarget >= LABEL_THRESHOLDS.atRisk) return 'At Risk';
  if (dailyTarget >= LABEL_THRESHOLDS.struggling) return 'Struggling';
  return 'Severely Struggling';
}

/** True for Struggling and Severely Struggling. */
export function isVulnerableStatus(status: ProgressStatus): boolean {
  return VULNERABLE_STATUSES.includes(status);
}

/** A survey's ground-truth label. */
export interface SurveyLabel {
  readonly progressStatus: ProgressStatus;
  readonly isVulnerable: boolean;
}

/**
 * The label of a survey from its `HHIncome+Consumption+Residues/Day`, or `null` when the target is
 * missing or not a finite number (an unlabelled survey is valid; it just has no ground truth).
 */
export function deriveLabel(values: SurveyValues): SurveyLabel | null {
  const target = values[TARGET_COLUMN];
  if (typeof target !== 'number' || !Number.isFinite(target)) return null;
  const status = progressStatus(target);
  return { progressStatus: status, isVulnerable: isVulnerableStatus(status) };
}
