/**
 * Between the wire (`surveystream.v1.Survey`, snake_case fields) and the pipeline's record
 * (original column names, `null` for a blank). The mapping comes from the field table only.
 */
import { Survey } from '../gen/surveystream/v1/survey.js';
import { FIELD_BY_COLUMN, SURVEY_FIELDS, protoToCamel, type SurveyValues } from './fields.js';

/** Submission metadata (not survey content). */
export interface SurveyMeta {
  submissionId: string;
  deprecatedId?: string | undefined;
  deviceId: string;
  fieldOfficerId: string;
  surveyDate?: string | undefined;
  appVersion?: string | undefined;
  schemaVersion?: string | undefined;
}

export interface SurveyRecord {
  meta: SurveyMeta;
  values: SurveyValues;
}

const INT32_MAX = 2_147_483_647;

const CAMEL = SURVEY_FIELDS.map((f) => [f, protoToCamel(f.proto)] as const);

export function surveyFromProto(s: Survey): SurveyRecord {
  const bag = s as unknown as Record<string, unknown>;
  const values: SurveyValues = {};
  for (const [field, camel] of CAMEL) {
    const v = bag[camel];
    values[field.column] = typeof v === 'number' || typeof v === 'string' ? v : null;
  }
  return {
    meta: {
      submissionId: s.submissionId,
      deprecatedId: s.deprecatedId,
      deviceId: s.deviceId,
      fieldOfficerId: s.fieldOfficerId,
      surveyDate: s.surveyDate,
      appVersion: s.appVersion,
      schemaVersion: s.schemaVersion,
    },
    values,
  };
}

/**
 * Builds a wire Survey from a record. A value of the wrong type for its field (e.g. text in a
 * number field) cannot travel in a typed message: it is reported in `errors` and left out.
 */
export function surveyToProto(rec: SurveyRecord): { survey: Survey; errors: string[] } {
  const out = Survey.fromPartial({
    submissionId: rec.meta.submissionId,
    deprecatedId: rec.meta.deprecatedId,
    deviceId: rec.meta.deviceId,
    fieldOfficerId: rec.meta.fieldOfficerId,
    surveyDate: rec.meta.surveyDate,
    appVersion: rec.meta.appVersion,
    schemaVersion: rec.meta.schemaVersion,
  }) as unknown as Record<string, unknown>;
  const errors: string[] = [];
  for (const [column, value] of Object.entries(rec.values)) {
    const field = FIELD_BY_COLUMN.get(column);
    if (!field || value === null) continue;
    const wantsText = field.kind === 'text';
    if (wantsText !== (typeof value === 'string')) {
      errors.push(`${column}: expected ${wantsText ? 'text' : 'a number'}, got ${JSON.stringify(value)}`);
      continue;
    }
    if (!wantsText && field.kind !== 'float' && !(Number.isInteger(value) && Math.abs(value as number) <= INT32_MAX)) {
      errors.push(`${column}: expected a 32-bit integer, got ${String(value)}`);
      continue;
    }
    out[protoToCamel(field.proto)] = value;
  }
  return { survey: out as unknown as Survey, errors };
}
