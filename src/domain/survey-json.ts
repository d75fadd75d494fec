/**
 * The JSON form of a survey (NDJSON lines, JSON uploads, JSON on the bus): metadata in snake_case
 * (`submission_id`, `device_id`, ...) next to the survey's original column names. Values keep the
 * type they arrived with, so that validation (one place) decides what is wrong with them.
 */
import { FIELD_BY_COLUMN, type SurveyValues } from './fields.js';
import type { SurveyRecord } from './survey-codec.js';

/** JSON/CSV metadata keys (snake_case) and the SurveyMeta property each fills. */
export const META_KEYS = {
  submission_id: 'submissionId',
  deprecated_id: 'deprecatedId',
  device_id: 'deviceId',
  field_officer_id: 'fieldOfficerId',
  survey_date: 'surveyDate',
  app_version: 'appVersion',
  schema_version: 'schemaVersion',
} as const;

export interface JsonDecodeResult {
  record: SurveyRecord;
  /** Keys that are neither metadata nor a survey column. */
  unknownKeys: string[];
}

/** Reads a parsed JSON object; throws on a non-object. Nested objects/arrays become their JSON text. */
export function recordFromJson(obj: unknown): JsonDecodeResult {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new TypeError('a survey must be a JSON object');
  }
  const meta: Record<string, string | undefined> = {};
  const values: SurveyValues = {};
  const unknownKeys: string[] = [];
  for (const [key, raw] of Object.entries(obj as Record<string, unknown>)) {
    if (key in META_KEYS) {
      meta[META_KEYS[key as keyof typeof META_KEYS]] = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : undefined;
      continue;
    }
    const field = FIELD_BY_COLUMN.get(key);
    if (!field) {
      unknownKeys.push(key);
      continue;
    }
    values[field.column] =
      raw === null || raw === undefined || raw === ''
        ? null
        : typeof raw === 'number' || typeof raw === 'string'
          ? raw
          : JSON.stringify(raw);
  }
  return {
    record: {
      meta: {
        submissionId: meta['submissionId'] ?? '',
        deprecatedId: meta['deprecatedId'],
        deviceId: meta['deviceId'] ?? '',
        fieldOfficerId: meta['fieldOfficerId'] ?? '',
        surveyDate: meta['surveyDate'],
        appVersion: meta['appVersion'],
        schemaVersion: meta['schemaVersion'],
      },
      values,
    },
    unknownKeys,
  };
}

/** The JSON object for a record (inverse of {@link recordFromJson}). */
export function recordToJson(rec: SurveyRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [json, prop] of Object.entries(META_KEYS)) {
    const v = rec.meta[prop];
    if (v !== undefined) out[json] = v;
  }
  return { ...out, ...rec.values };
}
