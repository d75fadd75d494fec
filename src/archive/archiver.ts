/**
 * The archiver role: its own durable consumer `archive` on SURVEYS, PII-protected gzip NDJSON
 * batches to the object store, partitioned by stream time.
 *
 * Invariants: a message is acked only after the object holding it is stored (crash = redelivery,
 * never loss; a redelivered batch may land in a second object, so readers dedupe on `stream_seq`);
 * pulls are bounded by `maxBatchRows`; a failed write naks the batch with a delay.
 */
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { PiiProtector } from '../protect/pii.js';
import { applyRetention, type ObjectStore } from '../store/index.js';
import type { Logger } from '../telemetry/log.js';
import type { Metrics } from '../telemetry/metrics.js';
import { archiveLine, envelopeOf } from './archive-record.js';
import { RAW_PREFIX, archiveKey, groupByPartition } from './partition.js';

const gzip = promisify(gzipCb);
const DAY_MS = 86_400_000;
/** JetStream refuses pull expiries under one second. */
const MIN_FETCH_MS = 1000;

/** Archiver settings (the `archive` config section). */
export interface ArchiverOptions {
  readonly maxBatchRows: number;
  readonly flushIntervalMs: number;
  /** 0 = keep forever. */
  readonly retentionDays: number;
  readonly retentionIntervalMs: number;
  /** Delay before a batch whose write failed comes back, ms. @default 5000 */
  readonly retryDelayMs?: number;
}

/** What the archiver works with. */
export interface ArchiverDeps {
  readonly consumer: Consumer;
  readonly store: ObjectStore;
  readonly pii: PiiProtector;
  readonly log: Logger;
  readonly metrics?: Metrics;
}

export class Archiver implements AsyncDisposable {
  readonly #o: ArchiverOptions;
  readonly #d: ArchiverDeps;
  #stopping = false;
  #loop: Promise<void> | undefined;
  #retention: NodeJS.Timeout | undefined;

  constructor(opts: ArchiverOptions, deps: ArchiverDeps) {
    this.#o = opts;
    this.#d = deps;
  }

  /** Starts pulling and the periodic retention sweep. */
  start(): void {
    if (this.#loop) return;
    this.#loop = this.#run().catch((err: unknown) => this.#d.log.error({ err }, 'archiver stopped on an error'));
    if (this.#o.retentionDays > 0) {
      void this.sweep();
      this.#retention = setInterval(() => void this.sweep(), this.#o.retentionIntervalMs);
      this.#retention.unref();
    }
  }

  /** Applies the retention rule once; returns how many objects were deleted. */
  async sweep(now = new Date()): Promise<number> {
    try {
      const { deleted } = await applyRetention(this.#d.store, RAW_PREFIX, this.#o.retentionDays * DAY_MS, now);
      if (deleted > 0) this.#d.log.info({ deleted, retentionDays: this.#o.retentionDays }, 'archive retention applied');
      return deleted;
    } catch (err) {
      this.#d.log.warn({ err }, 'archive retention failed; will retry');
      return 0;
    }
  }

  /** Stops pulling, writes and acks what was pulled, then resolves. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#retention);
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      const batch = await this.#collect();
      if (batch.length > 0) await this.#write(batch);
    }
  }

  /** Pulls until the batch is full or the flush interval has passed. */
  async #collect(): Promise<JsMsg[]> {
    const batch: JsMsg[] = [];
    const deadline = Date.now() + this.#o.flushIntervalMs;
    while (!this.#stopping && batch.length < this.#o.maxBatchRows && Date.now() < deadline) {
      const expires = Math.max(MIN_FETCH_MS, deadline - Date.now());
      try {
        const messages = await this.#d.consumer.fetch({ max_messages: this.#o.maxBatchRows - batch.length, expires });
        for await (const m of messages) batch.push(m);
      } catch (err) {
        this.#d.log.warn({ err }, 'archive pull failed; retrying');
        await new Promise((r) => setTimeout(r, MIN_FETCH_MS));
      }
    }
    return batch;
  }

  async #write(batch: JsMsg[]): Promise<void> {
    const groups = groupByPartition(batch, (m) => envelopeOf(m).storedAtMs);
    for (const [partition, msgs] of groups) {
      try {
        await this.#writeGroup(partition, msgs);
        for (const m of msgs) m.ack();
        this.#d.metrics?.records.inc({ stage: 'archive', outcome: 'archived' }, msgs.length);
      } catch (err) {
        this.#d.log.warn({ err, partition, rows: msgs.length }, 'archive write failed; records will be redelivered');
        for (const m of msgs) m.nak(this.#o.retryDelayMs ?? 5000);
        this.#d.metrics?.records.inc({ stage: 'archive', outcome: 'retried' }, msgs.length);
      }
    }
  }

  async #writeGroup(partition: string, msgs: JsMsg[]): Promise<void> {
    const lines = msgs.map((m) => `${JSON.stringify(archiveLine(m, this.#d.pii))}\n`).join('');
    const body = await gzip(Buffer.from(lines, 'utf8'));
    const first = msgs[0]!.info.streamSequence;
    const last = msgs[msgs.length - 1]!.info.streamSequence;
    await this.#d.store.put(archiveKey(partition, first, last), body, {
      contentType: 'application/x-ndjson',
      metadata: { records: String(msgs.length), 'first-seq': String(first), 'last-seq': String(last), encoding: 'gzip' },
    });
  }
}
