/**
 * A five-field cron expression with standard (Vixie/POSIX) semantics, evaluated in UTC:
 * `minute hour day-of-month month day-of-week`, each `*`, a value, a range `a-b`, a step `x/n`
 * and comma lists; month and weekday names (`JAN`, `SUN`) are accepted. Day-of-week 0 and 7 are
 * both Sunday (the seed's APScheduler read 0 as Monday, SEED_SPEC §6.1). When both day fields are
 * restricted, a day matches if EITHER matches; when one is `*`, only the other counts.
 */
import { PipelineError } from '../errors.js';

interface FieldDef {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly FieldDef[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day-of-week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** A parsed schedule: the allowed values of each field. */
export interface CronSchedule {
  readonly source: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  /** 0 = Sunday … 6 = Saturday (7 is folded into 0). */
  readonly daysOfWeek: ReadonlySet<number>;
  readonly domRestricted: boolean;
  readonly dowRestricted: boolean;
}

function bad(source: string, why: string): PipelineError {
  return new PipelineError('CONFIG', `invalid cron expression "${source}": ${why}`, false);
}

function value(token: string, def: FieldDef, source: string): number {
  const named = def.names?.indexOf(token.toUpperCase()) ?? -1;
  if (named >= 0) return def.min === 0 ? named : named + 1;
  if (!/^\d+$/.test(token)) throw bad(source, `"${token}" is not a number in ${def.name}`);
  const n = Number(token);
  if (n < def.min || n > def.max) throw bad(source, `${def.name} ${n} is outside ${def.min}-${def.max}`);
  return n;
}

function parsePart(part: string, def: FieldDef, source: string, out: Set<number>): void {
  const [range = '', stepText] = part.split('/');
  const step = stepText === undefined ? 1 : Number(stepText);
  if (!Number.isInteger(step) || step < 1) throw bad(source, `step "${stepText ?? ''}" in ${def.name} must be a positive integer`);
  let lo: number;
  let hi: number;
  if (range === '*') [lo, hi] = [def.min, def.max];
  else if (range.includes('-')) {
    const [a = '', b = ''] = range.split('-');
    [lo, hi] = [value(a, def, source), value(b, def, source)];
    if (lo > hi) throw bad(source, `range ${range} in ${def.name} runs backwards`);
  } else {
    lo = value(range, def, source);
    hi = stepText === undefined ? lo : def.max;
  }
  for (let v = lo; v <= hi; v += step) out.add(v);
}

function parseField(text: string, def: FieldDef, source: string): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    if (part === '') throw bad(source, `empty list item in ${def.name}`);
    parsePart(part, def, source, out);
  }
  return out;
}

/** Parses a cron expression (or a macro such as `@daily`); throws CONFIG when invalid. */
export function parseCron(source: string): CronSchedule {
  const expanded = MACROS[source.trim().toLowerCase()] ?? source.trim();
  const fields = expanded.split(/\s+/);
  if (fields.length !== 5) throw bad(source, `expected 5 fields, got ${fields.length}`);
  const sets = fields.map((f, i) => parseField(f, FIELDS[i]!, source));
  const dow = sets[4]!;
  if (dow.delete(7)) dow.add(0);
  return {
    source,
    minutes: sets[0]!,
    hours: sets[1]!,
    daysOfMonth: sets[2]!,
    months: sets[3]!,
    daysOfWeek: dow,
    domRestricted: !fields[2]!.startsWith('*'),
    dowRestricted: !fields[4]!.startsWith('*'),
  };
}

/** Whether the schedule allows the day of `d` (UTC), with the standard OR rule. */
export function dayMatches(s: CronSchedule, d: Date): boolean {
  const dom = s.daysOfMonth.has(d.getUTCDate());
  const dow = s.daysOfWeek.has(d.getUTCDay());
  if (s.domRestricted && s.dowRestricted) return dom || dow;
  return dom && dow;
}

/** Whether the schedule fires at the minute of `d` (UTC). */
export function cronMatches(s: CronSchedule, d: Date): boolean {
  return s.months.has(d.getUTCMonth() + 1) && dayMatches(s, d) && s.hours.has(d.getUTCHours()) && s.minutes.has(d.getUTCMinutes());
}

/** Five years of minutes: a schedule such as `0 0 30 2 *` (30 February) never fires. */
const HORIZON_MS = 5 * 366 * 24 * 3600_000;

/** The first firing time strictly after `after` (UTC), or `undefined` if none within five years. */
export function nextCronTime(s: CronSchedule, after: Date): Date | undefined {
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  const end = after.getTime() + HORIZON_MS;
  while (t.getTime() <= end) {
    if (!s.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0);
    } else if (!dayMatches(s, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0);
    } else if (!s.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0);
    } else if (!s.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1);
    } else {
      return t;
    }
  }
  return undefined;
}
