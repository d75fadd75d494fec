/**
 * One raw survey as an archive line: the JSON form (snake_case metadata, original column names)
 * with its personal fields protected exactly as `src/sink/survey-rows.ts` does for ClickHouse:
 * household, village, cluster, device and officer ids become keyed hashes (`*_key`), the household
 * id is also kept AES-256-GCM encrypted (`household_id_enc`). The archive feeds retraining and
 * audit, which need the join keys and the survey content, never clear identities. A payload that
 * cannot be decoded is kept whole, encrypted (`payload_enc`), so it can still be audited.
 */
import type { JsMsg } from '@nats-io/jetstream';
import { Headers } from '../bus/subjects.js';
import { SURVEY_FIELDS } from '../domain/fields.js';
import { recordToJson } from '../domain/survey-json.js';
import { decodeEnvelope } from '../pipeline/stages.js';
import type { Envelope } from '../pipeline/types.js';
import type { PiiProtector } from '../protect/pii.js';

/** Personal columns and the name of their keyed-hash column (as in the `surveys` table). */
const HASHED: Readonly<Record<string, string>> = { HouseHoldID: 'household_key', Village: 'village_key', Cluster: 'cluster_key' };
const PII_COLUMNS = SURVEY_FIELDS.filter((f) => f.pii).map((f) => f.column);
/** Keys never written in clear. */
const CLEAR_KEYS = new Set(['device_id', 'field_officer_id', ...PII_COLUMNS]);

/** The pipeline's envelope for a message (stream time in ms). */
export function envelopeOf(msg: JsMsg): Envelope {
  return {
    msg,
    streamSeq: msg.info.streamSequence,
    deliveryCount: msg.info.deliveryCount,
    storedAtMs: Math.floor(msg.info.timestampNanos / 1e6),
    version: Number(msg.timestampNanos / 1000n),
  };
}

function streamFacts(env: Envelope): Record<string, unknown> {
  return {
    stream_seq: env.streamSeq,
    received_at: new Date(env.storedAtMs).toISOString(),
    subject: env.msg.subject,
    ingestion_id: env.msg.headers?.get(Headers.ingestionId) ?? '',
  };
}

/** Replaces the personal fields of a survey's JSON form with their protected forms. */
export function protectJson(json: Record<string, unknown>, pii: PiiProtector): Record<string, unknown> {
  const asText = (v: unknown): string | null => (typeof v === 'string' || typeof v === 'number' ? String(v) : null);
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(json).filter(([k]) => !CLEAR_KEYS.has(k)));
  out['device_key'] = pii.hash(asText(json['device_id']));
  out['officer_key'] = pii.hash(asText(json['field_officer_id']));
  out['household_id_enc'] = pii.encryptValue(asText(json['HouseHoldID']));
  for (const column of PII_COLUMNS) out[HASHED[column] ?? `${column}_key`] = pii.hash(asText(json[column]));
  return out;
}

/** The archive line of one message (never contains a personal field in clear). */
export function archiveLine(msg: JsMsg, pii: PiiProtector): Record<string, unknown> {
  const env = envelopeOf(msg);
  const decoded = decodeEnvelope(env);
  if (decoded.kind === 'rejected') {
    return { ...streamFacts(env), decode_error: decoded.messages.join('; '), payload_enc: pii.encrypt(msg.data) };
  }
  return { ...streamFacts(env), ...protectJson(recordToJson(decoded.record), pii) };
}
