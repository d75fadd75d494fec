/**
 * Reading and re-driving dead letters from the DLQ stream (`surveys.v1.rejected.<stage>`).
 *
 * Replay decrypts the original payload and publishes it again to its original subject with the
 * msg id `replay:<dlq seq>`: replaying the same dead letter twice inside the duplicate window is
 * dropped by JetStream, and the sinks are idempotent on submission_id beyond it, so a replayed
 * survey lands exactly once.
 */
import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { Headers, subjects } from '../bus/subjects.js';
import type { PiiProtector } from '../protect/pii.js';
import type { DeadLetter } from '../sink/sinks.js';

export interface StoredDeadLetter extends DeadLetter {
  /** Sequence in the DLQ stream: the id `dlq show` and `dlq replay --seq` take. */
  readonly seq: number;
}

export interface DeadLetterFilter {
  /** A rule id (exact) or a stage name. */
  reason?: string | undefined;
  district?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  seqs?: readonly number[] | undefined;
  limit?: number | undefined;
}

export function matches(letter: StoredDeadLetter, f: DeadLetterFilter): boolean {
  if (f.seqs && f.seqs.length > 0 && !f.seqs.includes(letter.seq)) return false;
  if (f.reason && letter.stage !== f.reason && !letter.rule_ids.includes(f.reason)) return false;
  if (f.district && letter.district.toLowerCase() !== f.district.toLowerCase()) return false;
  const at = Date.parse(letter.rejected_at);
  if (f.since && at < f.since.getTime()) return false;
  if (f.until && at > f.until.getTime()) return false;
  return true;
}

/** Every dead letter matching the filter, oldest first. */
export async function listDeadLetters(js: JetStreamClient, jsm: JetStreamManager, f: DeadLetterFilter = {}): Promise<StoredDeadLetter[]> {
  const info = await jsm.streams.info('DLQ');
  if (info.state.messages === 0) return [];
  const consumer = await js.consumers.get('DLQ', {
    filter_subjects: subjects.rejectedAll,
    ...(f.since ? { deliver_policy: DeliverPolicy.StartTime, opt_start_time: f.since.toISOString() } : {}),
  });
  const out: StoredDeadLetter[] = [];
  const limit = f.limit ?? Number.POSITIVE_INFINITY;
  for (;;) {
    const batch = await consumer.fetch({ max_messages: 500, expires: 1000 });
    let received = 0;
    let caughtUp = false;
    for await (const m of batch) {
      received += 1;
      const letter: StoredDeadLetter = { ...m.json<DeadLetter>(), seq: m.info.streamSequence };
      if (matches(letter, f) && out.length < limit) out.push(letter);
      if (m.info.pending === 0) caughtUp = true;
    }
    if (received === 0 || caughtUp || out.length >= limit) break;
  }
  return out;
}

export async function getDeadLetter(jsm: JetStreamManager, seq: number): Promise<StoredDeadLetter | undefined> {
  const m = await jsm.streams.getMessage('DLQ', { seq }).catch(() => null);
  if (!m) return undefined;
  return { ...m.json<DeadLetter>(), seq: m.seq };
}

export interface ReplayResult {
  seq: number;
  submissionId: string;
  outcome: 'replayed' | 'duplicate' | 'failed';
  error?: string;
}

/** Publishes each dead letter's original payload again; returns what happened to each. */
export async function replayDeadLetters(js: JetStreamClient, pii: PiiProtector, letters: readonly StoredDeadLetter[]): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  for (const letter of letters) {
    try {
      const payload = pii.decrypt(letter.payload_enc);
      const h = natsHeaders();
      if (letter.content_type) h.set(Headers.contentType, letter.content_type);
      h.set('Surveystream-Replay-Of', String(letter.seq));
      const ack = await js.publish(letter.original_subject || subjects.raw(letter.district), payload, {
        msgID: `replay:${letter.seq}`,
        headers: h,
      });
      results.push({ seq: letter.seq, submissionId: letter.submission_id, outcome: ack.duplicate ? 'duplicate' : 'replayed' });
    } catch (err) {
      results.push({ seq: letter.seq, submissionId: letter.submission_id, outcome: 'failed', error: (err as Error).message });
    }
  }
  return results;
}
