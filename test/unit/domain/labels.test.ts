import { describe, expect, it } from 'vitest';
import { TARGET_COLUMN } from '../../../src/domain/fields.js';
import {
  LABEL_THRESHOLDS,
  PROGRESS_STATUS,
  deriveLabel,
  progressStatus,
} from '../../../src/domain/labels.js';

describe('progressStatus', () => {
  it.each([
    [8.5, 'On Track'],
    [2.15, 'On Track'],
    [2.1499999, 'At Risk'],
    [1.77, 'At Risk'],
    [1.7699999, 'Struggling'],
    [1.25, 'Struggling'],
    [1.2499999, 'Severely Struggling'],
    [0, 'Severely Struggling'],
    [-1, 'Severely Struggling'],
  ] as const)('labels %f as %s (left-closed bins)', (target, status) => {
    expect(progressStatus(target)).toBe(status);
  });

  it('uses the seed thresholds and class order', () => {
    expect(LABEL_THRESHOLDS).toEqual({ onTrack: 2.15, atRisk: 1.77, struggling: 1.25 });
    expect(PROGRESS_STATUS).toEqual(['On Track', 'At Risk', 'Struggling', 'Severely Struggling']);
  });

  it('rejects NaN and infinities instead of calling them Severely Struggling', () => {
    expect(() => progressStatus(Number.NaN)).toThrow(RangeError);
    expect(() => progressStatus(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('deriveLabel', () => {
  it('marks Struggling and Severely Struggling as vulnerable', () => {
    expect(deriveLabel({ [TARGET_COLUMN]: 2.15 })).toEqual({
      progressStatus: 'On Track',
      isVulnerable: false,
    });
    expect(deriveLabel({ [TARGET_COLUMN]: 1.77 })).toEqual({
      progressStatus: 'At Risk',
      isVulnerable: false,
    });
    expect(deriveLabel({ [TARGET_COLUMN]: 1.76 })).toEqual({
      progressStatus: 'Struggling',
      isVulnerable: true,
    });
    expect(deriveLabel({ [TARGET_COLUMN]: 1.2 })).toEqual({
      progressStatus: 'Severely Struggling',
      isVulnerable: true,
    });
  });

  it('returns null when the target is missing or not a finite number', () => {
    expect(deriveLabel({})).toBeNull();
    expect(deriveLabel({ [TARGET_COLUMN]: null })).toBeNull();
    expect(deriveLabel({ [TARGET_COLUMN]: '2.5' })).toBeNull();
    expect(deriveLabel({ [TARGET_COLUMN]: Number.NaN })).toBeNull();
  });
});
