/** Parses the generator flags shared by `generate` and `simulate` into GeneratorOptions. */
import { DISTRICTS, type District } from '../domain/fields.js';
import { INJECTED_ERROR_KINDS, type GeneratorOptions, type InjectedErrorKind } from '../domain/generator/index.js';
import { PipelineError } from '../errors.js';

export const GENERATOR_FLAGS = {
  count: { type: 'string', default: '1000' },
  seed: { type: 'string', default: '42' },
  'error-rate': { type: 'string', default: '0' },
  'error-kinds': { type: 'string' },
  shift: { type: 'string', multiple: true },
  'district-mix': { type: 'string' },
  'new-category': { type: 'string' },
  'start-date': { type: 'string' },
  'id-prefix': { type: 'string' },
  devices: { type: 'string', default: '50' },
} as const;

export const GENERATOR_HELP = `generator options:
  --count N                 records (default 1000)        --seed S        (default 42)
  --error-rate R            share of records with one injected error, 0..1 (default 0)
  --error-kinds a,b         ${INJECTED_ERROR_KINDS.join(', ')}
  --shift COLUMN:SD         drift: add SD standard deviations to a numeric column (repeatable)
  --district-mix D=W,...    drift: relative district weights, e.g. Kanungu=3,Rubanda=1
  --new-category COL:VALUE:RATE   drift: put VALUE in COL for a share RATE of records
  --start-date YYYY-MM-DD   first survey date            --devices N     (default 50)
  --id-prefix P             prefix for submission ids
`;

const bad = (msg: string): PipelineError => new PipelineError('INVALID_ARGUMENT', msg, false);

function num(value: string, name: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw bad(`--${name} must be a number in [${min}, ${max}], got "${value}"`);
  return n;
}

export function generatorOptions(v: Partial<Record<keyof typeof GENERATOR_FLAGS, string | string[] | boolean | undefined>>): GeneratorOptions {
  const str = (k: keyof typeof GENERATOR_FLAGS): string | undefined => (typeof v[k] === 'string' ? v[k] : undefined);
  const opts: GeneratorOptions = {
    seed: Math.trunc(num(str('seed') ?? '42', 'seed', 0, 2 ** 32)),
    count: Math.trunc(num(str('count') ?? '1000', 'count', 1, 100_000_000)),
    devices: Math.trunc(num(str('devices') ?? '50', 'devices', 1, 100_000)),
  };
  const rate = num(str('error-rate') ?? '0', 'error-rate', 0, 1);
  if (rate > 0) {
    const kinds = str('error-kinds')?.split(',').map((k) => k.trim());
    for (const k of kinds ?? []) if (!(INJECTED_ERROR_KINDS as readonly string[]).includes(k)) throw bad(`unknown error kind "${k}"`);
    opts.errors = { rate, ...(kinds ? { kinds: kinds as InjectedErrorKind[] } : {}) };
  }
  const drift: NonNullable<GeneratorOptions['drift']> = {};
  const shifts = Array.isArray(v.shift) ? v.shift : [];
  if (shifts.length > 0) {
    drift.shift = shifts.map((s) => {
      const idx = s.lastIndexOf(':');
      if (idx <= 0) throw bad(`--shift must be COLUMN:SD, got "${s}"`);
      return { column: s.slice(0, idx), sd: num(s.slice(idx + 1), 'shift', -100, 100) };
    });
  }
  const mix = str('district-mix');
  if (mix) {
    drift.districtMix = {};
    for (const part of mix.split(',')) {
      const [d, w] = part.split('=');
      if (!d || w === undefined || !(DISTRICTS as readonly string[]).includes(d)) throw bad(`--district-mix needs District=weight with a real district, got "${part}"`);
      drift.districtMix[d as District] = num(w, 'district-mix', 0, 1e6);
    }
  }
  const cat = str('new-category');
  if (cat) {
    const parts = cat.split(':');
    if (parts.length !== 3) throw bad(`--new-category must be COLUMN:VALUE:RATE, got "${cat}"`);
    const value = Number.isFinite(Number(parts[1])) ? Number(parts[1]) : parts[1]!;
    drift.newCategory = { column: parts[0]!, value, rate: num(parts[2]!, 'new-category', 0, 1) };
  }
  if (Object.keys(drift).length > 0) opts.drift = drift;
  const start = str('start-date');
  if (start) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(start)) throw bad('--start-date must be YYYY-MM-DD');
    opts.startDate = start;
  }
  const prefix = str('id-prefix');
  if (prefix) opts.idPrefix = prefix;
  return opts;
}
