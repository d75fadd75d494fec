import { describe, expect, it } from 'vitest';
import { subjectToken, subjects } from '../../../src/bus/subjects.js';

describe('subjects', () => {
  it('routes a survey by its district', () => {
    expect(subjects.raw('Kanungu')).toBe('surveys.v1.raw.kanungu');
  });

  it('never lets user text add subject levels or wildcards', () => {
    expect(subjectToken('a.b.>')).toBe('a_b_');
    expect(subjectToken('*')).toBe('unknown');
    expect(subjectToken('')).toBe('unknown');
    expect(subjectToken(null)).toBe('unknown');
    expect(subjects.prediction('Rubanda', 'Critical')).toBe('predictions.v1.rubanda.critical');
  });
});
