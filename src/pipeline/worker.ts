/**
 * The worker: JetStream pull consumer → decode → validate → micro-batch → sinks → ack.
 *
 * Invariants:
 * - a record is acked only after every sink committed its batch (crash = redelivery, never loss);
 * - records in flight are bounded by `maxInFlight` permits (taken at the source, given back on settle);
 * - a bad record is dead-lettered and acked, so it never blocks the others;
 * - a failing batch is split to isolate a poison record; what still fails is nak'ed with a delay,
 *   and dead-lettered once it has been delivered `maxDeliver` times.
 */
import { BehaviorSubject, bufferTime, defaultIfEmpty, filter, identity, lastValueFrom, mergeMap, type OperatorFunction } from 'rxjs';
import type { Consumer } from '@nats-io/jetstream';
import type { SurveyValues } from '../domain/fields.js';
import type { ValidationResult } from '../validate/index.js';
import type { Logger } from '../telemetry/log.js';
import type { Metrics } from '../telemetry/metrics.js';
import { Semaphore } from './semaphore.js';
import { jetStreamSource$, type SourceControl } from './source.js';
import { decode, validate } from './stages.js';
import type { BatchSink, BatchStep, Item, RejectedItem } from './types.js';

export interface WorkerOptions {
  maxBatchRows: number;
  flushIntervalMs: number;
  maxInFlight: number;
  pullBatch: number;
  maxDeliver: number;
  retryDelayMs: number;
  drainTimeoutMs: number;
  /** Micro-batches scored and written at the same time (sinks are idempotent and rows versioned by stream time, so their order does not matter). */
  flushConcurrency: number;
}

export interface WorkerDeps {
  consumer: Consumer;
  /** Per-record stage after validation (featurize). */
  featurize?: OperatorFunction<Item, Item>;
  /** Enriches each micro-batch before the sinks (scoring). */
  score?: BatchStep;
  sinks: readonly BatchSink[];
  /** Sink for records that exhausted their deliveries (the rejection sink). */
  deadLetterSink: BatchSink;
  validator: (values: SurveyValues) => ValidationResult;
  metrics: Metrics;
  log: Logger;
}

export type WorkerState = 'INITIALIZED' | 'RUNNING' | 'DRAINING' | 'STOPPED' | 'FAILED';

const MAX_SPLIT_ATTEMPTS = 32;

export class SurveyWorker implements AsyncDisposable {
  readonly state$ = new BehaviorSubject<WorkerState>('INITIALIZED');
  readonly #opts: WorkerOptions;
  readonly #deps: WorkerDeps;
  readonly #permits: Semaphore;
  #source: SourceControl | undefined;
  #done: Promise<void> | undefined;

  constructor(opts: WorkerOptions, deps: WorkerDeps) {
    this.#opts = opts;
    this.#deps = deps;
    this.#permits = new Semaphore(opts.maxInFlight);
  }

  get state(): WorkerState {
    return this.state$.value;
  }

  /** Starts consuming; the returned promise settles when the chain ends (after a drain, or on a fatal error). */
  start(): Promise<void> {
    if (this.#done) return this.#done;
    const { metrics } = this.#deps;
    const chain$ = jetStreamSource$(this.#deps.consumer, this.#permits, this.#opts.pullBatch, {
      onStart: (c) => (this.#source = c),
    }).pipe(
      decode(),
      validate(this.#deps.validator, metrics),
      this.#deps.featurize ?? identity,
      bufferTime(this.#opts.flushIntervalMs, null, this.#opts.maxBatchRows),
      filter((batch) => batch.length > 0),
      mergeMap((batch) => this.#flush(batch), this.#opts.flushConcurrency),
      defaultIfEmpty(undefined),
    );
    this.state$.next('RUNNING');
    this.#done = lastValueFrom(chain$).then(
      () => {
        this.state$.next('STOPPED');
      },
      (err: unknown) => {
        this.#deps.log.error({ err }, 'worker chain failed');
        this.state$.next('FAILED');
        throw err;
      },
    );
    return this.#done;
  }

  /** Stops pulling, finishes and flushes what is in flight, acks, and resolves when done. */
  async drain(): Promise<void> {
    if (!this.#done || this.state === 'STOPPED' || this.state === 'FAILED') return;
    if (this.state === 'RUNNING') this.state$.next('DRAINING');
    this.#source?.stop();
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), this.#opts.drainTimeoutMs).unref());
    const outcome = await Promise.race([this.#done.then(() => 'done' as const), timeout]);
    if (outcome === 'timeout') {
      this.#deps.log.warn({ timeoutMs: this.#opts.drainTimeoutMs }, 'drain timed out; unacked records will be redelivered');
      this.state$.next('STOPPED');
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.drain().catch(() => undefined);
  }

  async #flush(input: Item[]): Promise<void> {
    const { metrics } = this.#deps;
    const batch = input;
    metrics.inFlight.set(this.#opts.maxInFlight - this.#permits.available);
    try {
      let scored: Item[];
      try {
        scored = this.#deps.score ? await this.#deps.score(batch) : batch;
      } catch (err) {
        await this.#retryOrDeadLetter(batch, err as Error);
        return;
      }
      const end = metrics.stageSeconds.startTimer({ stage: 'sink' });
      await this.#writeOrSplit(scored, { attempts: 0 });
      end();
    } finally {
      this.#permits.release(batch.length);
    }
  }

  async #writeOrSplit(batch: Item[], budget: { attempts: number }): Promise<void> {
    budget.attempts += 1;
    try {
      for (const sink of this.#deps.sinks) await sink.write(batch);
    } catch (err) {
      if (batch.length > 1 && budget.attempts < MAX_SPLIT_ATTEMPTS) {
        const mid = Math.ceil(batch.length / 2);
        await this.#writeOrSplit(batch.slice(0, mid), budget);
        await this.#writeOrSplit(batch.slice(mid), budget);
        return;
      }
      await this.#retryOrDeadLetter(batch, err as Error);
      return;
    }
    for (const item of batch) {
      item.env.msg.ack();
      this.#deps.metrics.records.inc({ stage: 'worker', outcome: item.kind });
    }
  }

  async #retryOrDeadLetter(batch: Item[], err: Error): Promise<void> {
    const { log, metrics } = this.#deps;
    const exhausted = batch.filter((i) => i.env.deliveryCount >= this.#opts.maxDeliver);
    const retry = batch.filter((i) => i.env.deliveryCount < this.#opts.maxDeliver);
    log.warn({ err, rows: batch.length, exhausted: exhausted.length }, 'sink write failed; records will be retried');
    for (const item of retry) {
      item.env.msg.nak(this.#opts.retryDelayMs);
      metrics.records.inc({ stage: 'worker', outcome: 'retried' });
    }
    if (exhausted.length === 0) return;
    const dead: RejectedItem[] = exhausted.map((i) => ({
      kind: 'rejected',
      env: i.env,
      stage: 'sink',
      submissionId: i.kind === 'accepted' ? i.record.meta.submissionId : i.submissionId,
      district: i.kind === 'accepted' ? String(i.record.values['District'] ?? '') : i.district,
      ruleIds: ['sink.max_deliver'],
      messages: [`failed ${i.env.deliveryCount} deliveries: ${err.message}`],
    }));
    try {
      await this.#deps.deadLetterSink.write(dead);
      for (const item of dead) {
        item.env.msg.ack();
        metrics.records.inc({ stage: 'worker', outcome: 'dead_lettered' });
      }
    } catch (dlqErr) {
      log.error({ err: dlqErr }, 'dead-lettering failed; records will be retried');
      for (const item of dead) item.env.msg.nak(this.#opts.retryDelayMs);
    }
  }
}
