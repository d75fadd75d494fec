/**
 * The worker's batch sinks. Each writes a whole micro-batch in one call (one insert per table) and
 * throws on failure; the worker acks the batch only after every sink returned.
 */
import type { PublishOptions } from '../bus/publisher.js';
import { Headers, subjects } from '../bus/subjects.js';
import { PipelineError } from '../errors.js';
import type { PiiProtector } from '../protect/pii.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { BatchSink, RejectedItem } from '../pipeline/types.js';
import type { ClickHouse } from './clickhouse.js';
import { rejectionRow, surveyRow, tombstoneRow } from './survey-rows.js';

/** Publishes one message and resolves on its PubAck (the worker's windowed JetStream publisher). */
export type PublishFn = (opts: PublishOptions) => Promise<unknown>;

/** One JSONEachRow insert; failures become retryable SINK errors. */
export async function insertRows(
  ch: ClickHouse,
  table: string,
  rows: readonly Record<string, unknown>[],
  metrics?: Metrics,
): Promise<void> {
  if (rows.length === 0) return;
  const end = metrics?.insertSeconds.startTimer({ table });
  try {
    await ch.client.insert({ table: `${ch.database}.${table}`, values: rows as Record<string, unknown>[], format: 'JSONEachRow' });
    metrics?.batchRows.observe({ sink: table }, rows.length);
  } catch (err) {
    metrics?.insertFailures.inc({ table });
    throw new PipelineError('SINK', `insert into ${table} failed: ${(err as Error).message}`, true, { cause: err });
  } finally {
    end?.();
  }
}

/** Accepted surveys → `surveys`, plus a tombstone for each submission an edit supersedes. */
export function createSurveySink(ch: ClickHouse, pii: PiiProtector, metrics?: Metrics): BatchSink {
  return {
    name: 'surveys',
    async write(batch) {
      const now = Date.now();
      const rows: Record<string, unknown>[] = [];
      for (const item of batch) {
        if (item.kind !== 'accepted') continue;
        rows.push(surveyRow(item, pii, now));
        const deprecated = item.record.meta.deprecatedId;
        if (deprecated && deprecated !== item.record.meta.submissionId) rows.push(tombstoneRow(deprecated, item));
      }
      await insertRows(ch, 'surveys', rows, metrics);
    },
  };
}

/** The DLQ message: reason and the original payload, encrypted. */
export interface DeadLetter {
  submission_id: string;
  district: string;
  stage: string;
  rule_ids: readonly string[];
  messages: readonly string[];
  stream_seq: number;
  delivery_count: number;
  stored_at: string;
  rejected_at: string;
  original_subject: string;
  content_type: string;
  key_id: string;
  payload_enc: string;
}

function deadLetter(item: RejectedItem, keyId: string, payloadEnc: string, now: number): DeadLetter {
  return {
    submission_id: item.submissionId,
    district: item.district,
    stage: item.stage,
    rule_ids: item.ruleIds,
    messages: item.messages,
    stream_seq: item.env.streamSeq,
    delivery_count: item.env.deliveryCount,
    stored_at: new Date(item.env.storedAtMs).toISOString(),
    rejected_at: new Date(now).toISOString(),
    original_subject: item.env.msg.subject,
    content_type: item.env.msg.headers?.get('Content-Type') ?? '',
    key_id: keyId,
    payload_enc: payloadEnc,
  };
}

/** Rejected records → DLQ stream (awaiting every PubAck) and `rejections`. */
export function createRejectionSink(
  publish: PublishFn,
  ch: ClickHouse,
  pii: PiiProtector,
  metrics?: Metrics,
): BatchSink {
  return {
    name: 'rejections',
    async write(batch) {
      const rejected = batch.filter((i): i is RejectedItem => i.kind === 'rejected');
      if (rejected.length === 0) return;
      const now = Date.now();
      const rows: Record<string, unknown>[] = [];
      const acks: Promise<unknown>[] = [];
      for (const item of rejected) {
        const enc = pii.encrypt(item.env.msg.data);
        rows.push(rejectionRow(item, pii.activeKeyId, enc, now));
        const body = new TextEncoder().encode(JSON.stringify(deadLetter(item, pii.activeKeyId, enc, now)));
        // Msg id: the stored record and stage, so a redelivered rejection is not dead-lettered twice.
        acks.push(
          publish({
            submissionId: `dlq:${item.env.streamSeq}:${item.stage}`,
            district: item.district,
            subject: subjects.rejected(item.stage),
            payload: body,
            contentType: 'application/json',
            headers: { [Headers.rejectStage]: item.stage, [Headers.rejectRules]: item.ruleIds.join(',') },
          }),
        );
      }
      try {
        await Promise.all(acks);
      } catch (err) {
        throw new PipelineError('SINK', `DLQ publish failed: ${(err as Error).message}`, true, { cause: err });
      }
      await insertRows(ch, 'rejections', rows, metrics);
    },
  };
}

