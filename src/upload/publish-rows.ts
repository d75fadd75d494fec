/**
 * The publishing pass of an upload: the file's valid rows go to JetStream as JSON records
 * (`recordToJson`, Content-Type application/json, msg id = submission_id,
 * `Surveystream-Ingestion-Id`), so the worker validates them like any survey. At most `window`
 * rows wait for their PubAck; a row the bus refuses for a while (UNAVAILABLE, RESOURCE_EXHAUSTED)
 * is retried after the hint, up to `maxAttempts` times, then the pass fails (what was published
 * stays; uploading the file again finishes it, as resends are deduplicated).
 */
import { recordToJson } from '../domain/survey-json.js';
import { PipelineError } from '../errors.js';
import { isRecordError, type JetStreamPublisher, type PublishResult } from '../ingest/index.js';
import type { RowError } from './rows.js';
import { scanRows, type ScanContext } from './scan.js';

/** What the publishing pass needs. */
export interface PublishPassDeps {
  readonly publisher: JetStreamPublisher;
  /** Rows waiting for their PubAck at most. */
  readonly window: number;
  /** Tries per row before the pass gives up. */
  readonly maxAttempts: number;
  /** Stops the pass (gateway shutdown). */
  readonly signal: AbortSignal;
}

/** Running totals of a pass. */
export interface PublishCounts {
  published: number;
  duplicate: number;
  /** Rows JetStream refused for good (e.g. too large): late row errors. */
  refused: RowError[];
}

const PROGRESS_EVERY = 2000;
const JSON_TYPE = 'application/json';

class PassState {
  readonly counts: PublishCounts = { published: 0, duplicate: 0, refused: [] };
  inFlight = 0;
  fatal: PipelineError | undefined;
  #wake: (() => void) | undefined;

  /** Resolves when fewer than `limit` rows are in flight (or the pass failed). */
  async room(limit: number): Promise<void> {
    while (this.inFlight >= limit && !this.fatal) await new Promise<void>((r) => (this.#wake = r));
  }

  settle(): void {
    this.inFlight -= 1;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

function retryAfter(err: PipelineError): number {
  return Number(err.details['retry-after-ms'] ?? 1000);
}

/** Publishes every valid row of the file; resolves with the counts once all are acknowledged. */
export async function publishRows(ctx: ScanContext, ingestionId: string, deps: PublishPassDeps, progress?: (c: PublishCounts) => void): Promise<PublishCounts> {
  const state = new PassState();
  const send = (rec: { submissionId: string; district: string | null; payload: Uint8Array }, row: number, attempt: number): void => {
    deps.publisher.publish(
      { submissionId: rec.submissionId, district: rec.district, payload: rec.payload, contentType: JSON_TYPE, ingestionId },
      (outcome) => onOutcome(rec, row, attempt, outcome),
    );
  };
  const onOutcome = (rec: Parameters<typeof send>[0], row: number, attempt: number, outcome: PublishResult | PipelineError): void => {
    if (outcome instanceof PipelineError) {
      if (isRecordError(outcome)) {
        state.counts.refused.push({ row, submissionId: rec.submissionId, column: '', reasonCode: 'row.refused', message: outcome.message });
      } else if (attempt < deps.maxAttempts && !deps.signal.aborted) {
        setTimeout(() => send(rec, row, attempt + 1), retryAfter(outcome)).unref();
        return;
      } else {
        state.fatal ??= outcome;
      }
    } else {
      if (outcome.duplicate) state.counts.duplicate += 1;
      else state.counts.published += 1;
    }
    state.settle();
  };
  let sent = 0;
  for await (const converted of scanRows(ctx, { unknownColumns: [] })) {
    if (deps.signal.aborted) throw deps.signal.reason as Error;
    if (!converted.ok) continue;
    await state.room(deps.window);
    if (state.fatal) break;
    const { record } = converted;
    const district = typeof record.values['District'] === 'string' ? record.values['District'] : null;
    state.inFlight += 1;
    send({ submissionId: record.meta.submissionId, district, payload: Buffer.from(JSON.stringify(recordToJson(record))) }, converted.row, 1);
    if (++sent % PROGRESS_EVERY === 0) progress?.(state.counts);
  }
  await state.room(1);
  if (state.fatal) throw state.fatal;
  return state.counts;
}
