import { describe, expect, it } from 'vitest';
import { cronMatches, nextCronTime, parseCron } from '../../../src/trainer/cron.js';

const next = (expr: string, after: string): string | undefined => nextCronTime(parseCron(expr), new Date(after))?.toISOString();

describe('cron', () => {
  it('treats day-of-week 0 and 7 as Sunday (not Monday, the seed bug)', () => {
    // 2026-03-01 is a Sunday
    expect(next('0 2 * * 0', '2026-02-25T00:00:00Z')).toBe('2026-03-01T02:00:00.000Z');
    expect(next('0 2 * * 7', '2026-02-25T00:00:00Z')).toBe('2026-03-01T02:00:00.000Z');
    expect(next('0 2 * * SUN', '2026-02-25T00:00:00Z')).toBe('2026-03-01T02:00:00.000Z');
    expect(next('0 2 * * 1', '2026-02-25T00:00:00Z')).toBe('2026-03-02T02:00:00.000Z');
  });

  it('fires strictly after the given time', () => {
    expect(next('*/15 * * * *', '2026-01-01T10:15:00Z')).toBe('2026-01-01T10:30:00.000Z');
    expect(next('*/15 * * * *', '2026-01-01T10:14:59Z')).toBe('2026-01-01T10:15:00.000Z');
  });

  it('supports ranges, steps, lists and names', () => {
    const s = parseCron('5,35 8-18/2 * JAN-MAR MON-FRI');
    expect([...s.minutes]).toEqual([5, 35]);
    expect([...s.hours]).toEqual([8, 10, 12, 14, 16, 18]);
    expect([...s.months]).toEqual([1, 2, 3]);
    expect([...s.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
    expect(next('5,35 8-18/2 * JAN-MAR MON-FRI', '2026-03-31T18:40:00Z')).toBe('2027-01-01T08:05:00.000Z');
    expect([...parseCron('10/20 * * * *').minutes]).toEqual([10, 30, 50]);
  });

  it('ORs day-of-month and day-of-week when both are restricted', () => {
    const s = parseCron('0 0 13 * 5'); // the 13th OR any Friday
    expect(cronMatches(s, new Date('2026-02-13T00:00:00Z'))).toBe(true); // a Friday the 13th
    expect(cronMatches(s, new Date('2026-02-20T00:00:00Z'))).toBe(true); // a Friday
    expect(cronMatches(s, new Date('2026-03-13T00:00:00Z'))).toBe(true); // the 13th, a Friday too
    expect(cronMatches(s, new Date('2026-04-13T00:00:00Z'))).toBe(true); // the 13th, a Monday
    expect(cronMatches(s, new Date('2026-04-14T00:00:00Z'))).toBe(false);
    expect(next('0 0 13 * 5', '2026-04-13T00:00:00Z')).toBe('2026-04-17T00:00:00.000Z');
  });

  it('ANDs them when one is *', () => {
    expect(next('0 0 * * 1', '2026-04-13T00:00:00Z')).toBe('2026-04-20T00:00:00.000Z');
    expect(next('0 0 31 * *', '2026-04-01T00:00:00Z')).toBe('2026-05-31T00:00:00.000Z');
    expect(next('0 0 29 2 *', '2026-01-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('understands macros and answers undefined for impossible dates', () => {
    expect(next('@daily', '2026-01-01T12:00:00Z')).toBe('2026-01-02T00:00:00.000Z');
    expect(next('@weekly', '2026-02-25T00:00:00Z')).toBe('2026-03-01T00:00:00.000Z');
    expect(next('0 0 30 2 *', '2026-01-01T00:00:00Z')).toBeUndefined();
  });

  it('rejects malformed expressions with CONFIG', () => {
    for (const bad of ['* * * *', '60 * * * *', '* 24 * * *', '* * 0 * *', '* * * 13 *', '* * * * 8', '5-1 * * * *', '*/0 * * * *', 'a * * * *', '1,,2 * * * *']) {
      expect(() => parseCron(bad), bad).toThrow(expect.objectContaining({ code: 'CONFIG' }) as Error);
    }
  });
});
