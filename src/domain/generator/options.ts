/**
 * Checks generator options and fills defaults (`GeneratorOptions` → `GeneratorConfig`).
 */
import { DISTRICTS, FIELD_BY_COLUMN } from '../fields.js';
import { columnSd } from './calibration.js';
import { DISTRICT_PROFILES } from './gazetteer.js';
import { assertDate } from './meta.js';
import { assertShiftable, type ResolvedShift } from './shift.js';
import { INJECTED_ERROR_KINDS, type GeneratorOptions, type InjectedErrorKind } from './types.js';

/** Validated generator options with defaults applied. */
export interface GeneratorConfig {
  readonly seed: number;
  readonly count: number;
  readonly startDate: string;
  readonly devices: number;
  readonly idPrefix: string;
  readonly districtWeights: readonly number[];
  readonly shifts: readonly ResolvedShift[];
  readonly newCategory?: {
    readonly column: string;
    readonly value: string | number;
    readonly rate: number;
  };
  readonly errorRate: number;
  readonly errorKinds: readonly InjectedErrorKind[];
}

const DEFAULT_START_DATE = '2025-01-06';
const DEFAULT_DEVICES = 50;

function assertRate(name: string, rate: number): void {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${rate}`);
}

function districtWeights(opts: GeneratorOptions): number[] {
  const mix = opts.drift?.districtMix ?? {};
  const weights = DISTRICTS.map((d) => mix[d] ?? DISTRICT_PROFILES[d].share);
  if (weights.some((w) => !(w >= 0 && Number.isFinite(w))) || !weights.some((w) => w > 0)) {
    throw new RangeError('drift.districtMix weights must be finite, non-negative and not all zero');
  }
  return weights;
}

function resolveShifts(opts: GeneratorOptions): ResolvedShift[] {
  return (opts.drift?.shift ?? []).map(({ column, sd }) => {
    assertShiftable(column);
    if (!Number.isFinite(sd)) throw new RangeError(`drift shift of '${column}' must be finite`);
    return { column, delta: sd * columnSd(column) };
  });
}

function errorKinds(opts: GeneratorOptions): InjectedErrorKind[] {
  const kinds = opts.errors?.kinds ?? [...INJECTED_ERROR_KINDS];
  if (kinds.length === 0 || kinds.some((k) => !INJECTED_ERROR_KINDS.includes(k))) {
    throw new RangeError(
      `errors.kinds must be a non-empty subset of ${INJECTED_ERROR_KINDS.join(', ')}`,
    );
  }
  return kinds;
}

/** Validates `opts` and applies defaults. @throws RangeError on an invalid option. */
export function compileOptions(opts: GeneratorOptions): GeneratorConfig {
  if (!Number.isFinite(opts.seed)) throw new RangeError('seed must be a finite number');
  if (!Number.isInteger(opts.count) || opts.count < 0)
    throw new RangeError('count must be an integer ≥ 0');
  const devices = opts.devices ?? DEFAULT_DEVICES;
  if (!Number.isInteger(devices) || devices < 1)
    throw new RangeError('devices must be an integer ≥ 1');
  const startDate = opts.startDate ?? DEFAULT_START_DATE;
  assertDate(startDate);
  const errorRate = opts.errors?.rate ?? 0;
  assertRate('errors.rate', errorRate);
  const newCategory = opts.drift?.newCategory;
  if (newCategory) {
    if (!FIELD_BY_COLUMN.has(newCategory.column)) {
      throw new RangeError(`drift.newCategory: unknown column '${newCategory.column}'`);
    }
    assertRate('drift.newCategory.rate', newCategory.rate);
  }
  return {
    seed: opts.seed,
    count: opts.count,
    startDate,
    devices,
    idPrefix: opts.idPrefix ?? '',
    districtWeights: districtWeights(opts),
    shifts: resolveShifts(opts),
    ...(newCategory ? { newCategory: { ...newCategory } } : {}),
    errorRate,
    errorKinds: errorKinds(opts),
  };
}
