/**
 * ClickHouse rows for `surveys` and `rejections`. This is where PII is protected before anything
 * leaves the worker: personal fields become keyed hashes (and the household id an encrypted copy).
 */
import { SURVEY_FIELDS } from '../domain/fields.js';
import type { PiiProtector } from '../protect/pii.js';
import { Headers } from '../bus/subjects.js';
import type { AcceptedItem, Envelope, RejectedItem } from '../pipeline/types.js';

/** Columns stored as they are (everything but District and the personal fields). */
const PLAIN_COLUMNS = SURVEY_FIELDS.filter((f) => !f.pii && f.column !== 'District').map((f) => f.column);

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The upload a record came from (header set by the gateway's file ingestion), or ''. */
export function ingestionId(env: Envelope): string {
  return env.msg.headers?.get(Headers.ingestionId) ?? '';
}

export function surveyRow(item: AcceptedItem, pii: PiiProtector, nowMs: number): Record<string, unknown> {
  const { meta, values } = item.record;
  const row: Record<string, unknown> = {
    submission_id: meta.submissionId,
    deprecated_id: meta.deprecatedId ?? null,
    device_key: pii.hash(meta.deviceId),
    officer_key: pii.hash(meta.fieldOfficerId),
    survey_date: meta.surveyDate && DATE_RE.test(meta.surveyDate) ? meta.surveyDate : null,
    app_version: meta.appVersion ?? '',
    schema_version: meta.schemaVersion ?? '',
    received_at: item.env.storedAtMs,
    ingested_at: nowMs,
    stream_seq: item.env.streamSeq,
    ingestion_id: ingestionId(item.env),
    District: values['District'] ?? '',
    household_key: pii.hash(values['HouseHoldID']),
    household_id_enc: pii.encryptValue(values['HouseHoldID']),
    village_key: pii.hash(values['Village']),
    cluster_key: pii.hash(values['Cluster']),
    progress_status: item.label?.progressStatus ?? null,
    is_vulnerable: item.label ? (item.label.isVulnerable ? 1 : 0) : null,
    quality_score: item.validation.qualityScore,
    warning_rules: item.validation.hits.filter((h) => h.severity === 'warning').map((h) => h.ruleId),
    _version: item.env.version,
    _deleted: 0,
  };
  for (const column of PLAIN_COLUMNS) row[column] = values[column] ?? null;
  return row;
}

/** A row that hides an earlier submission superseded by an edit (ReplacingMergeTree is_deleted). */
export function tombstoneRow(deprecatedId: string, item: AcceptedItem): Record<string, unknown> {
  return {
    submission_id: deprecatedId,
    District: item.record.values['District'] ?? '',
    received_at: item.env.storedAtMs,
    ingested_at: item.env.storedAtMs,
    _version: item.env.version,
    _deleted: 1,
  };
}

export function rejectionRow(
  item: RejectedItem,
  keyId: string,
  payloadEnc: string,
  nowMs: number,
): Record<string, unknown> {
  return {
    rejected_at: nowMs,
    submission_id: item.submissionId,
    District: item.district,
    stage: item.stage,
    rule_ids: item.ruleIds,
    messages: item.messages,
    stream_seq: item.env.streamSeq,
    delivery_count: item.env.deliveryCount,
    key_id: keyId,
    payload_enc: payloadEnc,
    ingestion_id: ingestionId(item.env),
  };
}
