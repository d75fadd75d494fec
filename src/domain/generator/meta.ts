/**
 * Submission metadata: UUID-like ids, devices, field officers and survey dates.
 */
import { DISTRICTS, type District } from '../fields.js';
import type { Rng } from './rng.js';
import type { SurveyMeta } from './types.js';

/** App version written on every generated survey. */
export const APP_VERSION = '2.3.1';
/** Survey schema version. */
export const SCHEMA_VERSION = '1';
/** Surveys per calendar day; dates advance by one day every this many records. */
export const SURVEYS_PER_DAY = 50;
/** Devices per field officer. */
const DEVICES_PER_OFFICER = 2;

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

/** A version-4-shaped UUID from 128 PRNG bits. */
export function uuidFrom(rng: Rng): string {
  const a = hex8(rng.uint32());
  const b = hex8(rng.uint32());
  const c = hex8(rng.uint32());
  const d = hex8(rng.uint32());
  const variant = ((parseInt(c.slice(0, 1), 16) & 0x3) | 0x8).toString(16);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

/** Device index (0-based) for a survey in `district`: devices are assigned to districts round-robin. */
export function pickDevice(rng: Rng, district: District, devices: number): number {
  const slot = DISTRICTS.indexOf(district);
  const pool = Math.floor((devices - 1 - slot) / DISTRICTS.length) + 1;
  if (devices < DISTRICTS.length || pool <= 0) return rng.int(devices);
  return slot + DISTRICTS.length * rng.int(pool);
}

/** Adds `days` to a `YYYY-MM-DD` date (UTC). */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Throws unless `date` is a valid `YYYY-MM-DD`. */
export function assertDate(date: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || addDays(date, 0) !== date) {
    throw new RangeError(`startDate must be YYYY-MM-DD, got '${date}'`);
  }
}

/** Metadata of the `index`-th survey. */
export function makeMeta(
  rng: Rng,
  index: number,
  district: District,
  opts: { startDate: string; devices: number; idPrefix: string },
): SurveyMeta {
  const device = pickDevice(rng, district, opts.devices);
  return {
    submissionId: `${opts.idPrefix}${uuidFrom(rng)}`,
    deviceId: `DEV-${String(device + 1).padStart(4, '0')}`,
    fieldOfficerId: `FO-${String(Math.floor(device / DEVICES_PER_OFFICER) + 1).padStart(3, '0')}`,
    surveyDate: addDays(opts.startDate, Math.floor(index / SURVEYS_PER_DAY)),
    appVersion: APP_VERSION,
    schemaVersion: SCHEMA_VERSION,
  };
}
