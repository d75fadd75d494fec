/** Subject names, in one place. Tokens from user data are sanitised so they cannot add levels. */

/** A subject token from free text: lower case, [a-z0-9_-], or `unknown`. */
export function subjectToken(value: string | null | undefined): string {
  const token = (value ?? '').trim().toLowerCase().replace(/[^a-z0-9_-]+/g, '_').slice(0, 64);
  return token.length > 0 && token !== '_' ? token : 'unknown';
}

export const subjects = {
  raw: (district: string | null | undefined) => `surveys.v1.raw.${subjectToken(district)}`,
  rawAll: 'surveys.v1.raw.>',
  rejected: (stage: string) => `surveys.v1.rejected.${subjectToken(stage)}`,
  rejectedAll: 'surveys.v1.rejected.>',
  prediction: (district: string, risk: string) =>
    `predictions.v1.${subjectToken(district)}.${subjectToken(risk)}`,
  alerts: (severity: string, kind: string) => `alerts.v1.${subjectToken(severity)}.${subjectToken(kind)}`,
} as const;

/** Message headers we set. */
export const Headers = {
  contentType: 'Content-Type',
  schema: 'Surveystream-Schema',
  ingestionId: 'Surveystream-Ingestion-Id',
  receivedAt: 'Surveystream-Received-At',
  rejectStage: 'Surveystream-Reject-Stage',
  rejectRules: 'Surveystream-Reject-Rules',
  keyId: 'Surveystream-Key-Id',
} as const;

export const SURVEY_CONTENT_TYPE = 'application/x-protobuf; messageType=surveystream.v1.Survey';
