/**
 * Publishes to JetStream with a Nats-Msg-Id and reports each message only once JetStream
 * acknowledged it (accepted = durable): surveys on `surveys.v1.raw.<district>` (the gateway), and
 * predictions and dead letters (the worker).
 *
 * "PublishAsync" pattern (STACK_NOTES §1): every message is a plain `nc.publish` with its own
 * reply subject under one inbox prefix, and ONE subscription on `<prefix>.*` matches the PubAcks
 * to their callbacks. There is no promise or timer per message (an awaited `js.publish` per record
 * caps near 12k msg/s; this reaches ~45k). Outstanding PubAcks are bounded gateway-wide
 * (`maxPending`, beyond it RESOURCE_EXHAUSTED); a PubAck missing for `timeoutMs` fails its record
 * with UNAVAILABLE; a lost connection fails every outstanding record at once (the client resends).
 */
import { performance } from 'node:perf_hooks';
import { createInbox, headers as natsHeaders, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { Headers, SURVEY_CONTENT_TYPE, subjects } from './subjects.js';
import { PipelineError } from '../errors.js';
import type { Metrics } from '../telemetry/metrics.js';
import { exhausted, parsePubAck, RetryAfterMs, unavailable, type PublishResult } from './pub-ack.js';

export type { PublishResult } from './pub-ack.js';

/** One record to publish. */
export interface PublishOptions {
  /** The Nats-Msg-Id (for surveys: the submission id). */
  submissionId: string;
  district: string | null | undefined;
  /** Subject; default `surveys.v1.raw.<district>`. */
  subject?: string;
  /** Extra headers. */
  headers?: Readonly<Record<string, string>>;
  payload: Uint8Array;
  /** @default the protobuf Survey content type */
  contentType?: string;
  /** Set on rows of an uploaded file (`Surveystream-Ingestion-Id`). */
  ingestionId?: string;
}

/** Called exactly once per publish, with the PubAck or the reason it failed. */
export type PublishCallback = (outcome: PublishResult | PipelineError) => void;

/** Caller input for {@link JetStreamPublisher}. */
export interface PublisherOptions {
  /** Wait for one PubAck before failing its record, ms. */
  timeoutMs: number;
  /** Outstanding PubAcks over all callers before new publishes are refused. */
  maxPending: number;
  metrics?: Metrics;
  /** Stream label of the publish-latency metric. @default 'SURVEYS' */
  stream?: string;
}

interface Pending {
  readonly done: PublishCallback;
  readonly sentAt: number;
}

/** The windowed publisher shared by SubmitSurvey, StreamSurveys and UploadFile. */
export class JetStreamPublisher implements AsyncDisposable {
  readonly #nc: NatsConnection;
  readonly #opts: PublisherOptions;
  readonly #prefix: string;
  readonly #sub: Subscription;
  readonly #pending = new Map<string, Pending>();
  #queue: { opts: PublishOptions; done: PublishCallback }[] = [];
  #scheduled = false;
  readonly #sweep: NodeJS.Timeout;
  readonly #observe: ((seconds: number) => void) | undefined;
  #next = 0;
  #connected = true;
  #closed = false;

  constructor(nc: NatsConnection, opts: PublisherOptions) {
    this.#nc = nc;
    this.#opts = opts;
    this.#prefix = `${createInbox()}.`;
    this.#sub = nc.subscribe(`${this.#prefix}*`, { callback: (_err, msg) => this.#onReply(msg) });
    this.#sweep = setInterval(() => this.#expire(), Math.max(20, Math.min(250, opts.timeoutMs / 4)));
    this.#sweep.unref();
    const child = opts.metrics?.publishSeconds.labels({ stream: opts.stream ?? 'SURVEYS' });
    this.#observe = child ? (s) => child.observe(s) : undefined;
    this.#watchConnection().catch(() => undefined); // ends when the connection closes
  }

  /** Records taken and not acknowledged yet. */
  get pending(): number {
    return this.#pending.size + this.#queue.length;
  }

  /**
   * Publishes one record; `done` is called once, with the PubAck or the failure. Never throws.
   * Records are sent at the end of the event-loop turn, together: nats.js flushes its buffer once
   * per microtask checkpoint, and records arriving one by one from gRPC would otherwise cost one
   * socket write each.
   */
  publish(opts: PublishOptions, done: PublishCallback): void {
    const refused = this.#refusal();
    if (refused) {
      done(refused);
      return;
    }
    this.#queue.push({ opts, done });
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#sendQueued());
    }
  }

  #sendQueued(): void {
    this.#scheduled = false;
    const queue = this.#queue;
    this.#queue = [];
    const refused = this.#refusal(0);
    for (const { opts, done } of queue) {
      if (refused) done(refused);
      else this.#send(opts, done);
    }
  }

  #send(opts: PublishOptions, done: PublishCallback): void {
    const id = String(this.#next++);
    const h = natsHeaders();
    h.set('Nats-Msg-Id', opts.submissionId);
    h.set(Headers.contentType, opts.contentType ?? SURVEY_CONTENT_TYPE);
    if (opts.ingestionId) h.set(Headers.ingestionId, opts.ingestionId);
    for (const [k, v] of Object.entries(opts.headers ?? {})) h.set(k, v);
    try {
      this.#nc.publish(opts.subject ?? subjects.raw(opts.district), opts.payload, { reply: this.#prefix + id, headers: h });
    } catch (err) {
      done(this.#translateThrow(err));
      return;
    }
    this.#pending.set(id, { done, sentAt: performance.now() });
  }

  /** {@link publish} as a promise that rejects with a PipelineError. */
  publishAsync(opts: PublishOptions): Promise<PublishResult> {
    return new Promise((resolve, reject) => {
      this.publish(opts, (outcome) => (outcome instanceof PipelineError ? reject(outcome) : resolve(outcome)));
    });
  }

  /** Waits (up to the PubAck timeout) for outstanding PubAcks, then fails what is left. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const deadline = Date.now() + this.#opts.timeoutMs;
    while (this.pending > 0 && Date.now() < deadline && this.#connected) {
      await new Promise((r) => setTimeout(r, 10));
    }
    clearInterval(this.#sweep);
    this.#failAll(unavailable('the gateway is shutting down; retry later', RetryAfterMs.unavailable));
    if (!this.#nc.isClosed()) this.#sub.unsubscribe();
  }

  /** Why a new record cannot be taken now; `queued` counts records taken but not sent yet. */
  #refusal(queued = this.#queue.length): PipelineError | undefined {
    if (this.#closed) return unavailable('the gateway is shutting down; retry later', RetryAfterMs.unavailable);
    if (!this.#connected || this.#nc.isClosed()) {
      return unavailable('JetStream connection lost; retry later', RetryAfterMs.unavailable);
    }
    if (this.#pending.size + queued >= this.#opts.maxPending) {
      return exhausted(
        `the gateway has ${this.#pending.size + queued} surveys waiting for JetStream; retry later`,
        RetryAfterMs.saturated,
      );
    }
    return undefined;
  }

  #onReply(msg: Msg): void {
    const id = msg.subject.slice(this.#prefix.length);
    const entry = this.#pending.get(id);
    if (!entry) return; // timed out already, or a stray reply
    this.#pending.delete(id);
    this.#observe?.((performance.now() - entry.sentAt) / 1000);
    entry.done(parsePubAck(msg));
  }

  /** Fails records whose PubAck is overdue. Map order is send order, so stop at the first young one. */
  #expire(): void {
    const cutoff = performance.now() - this.#opts.timeoutMs;
    for (const [id, entry] of this.#pending) {
      if (entry.sentAt > cutoff) return;
      this.#pending.delete(id);
      entry.done(unavailable('JetStream did not acknowledge in time; retry later', RetryAfterMs.timeout));
    }
  }

  #failAll(err: PipelineError): void {
    const entries = [...this.#pending.values()];
    this.#pending.clear();
    for (const entry of entries) entry.done(err);
  }

  async #watchConnection(): Promise<void> {
    for await (const s of this.#nc.status()) {
      if (s.type === 'disconnect') {
        this.#connected = false;
        this.#failAll(unavailable('JetStream connection lost; retry later', RetryAfterMs.unavailable));
      } else if (s.type === 'reconnect') {
        this.#connected = true;
      }
    }
  }

  #translateThrow(err: unknown): PipelineError {
    const name = err instanceof Error ? err.name : '';
    if (name.includes('Closed') || name.includes('Draining')) {
      return unavailable('JetStream connection closed; retry later', RetryAfterMs.unavailable, err);
    }
    // nats.js throws before sending when the payload exceeds the server's max_payload.
    return new PipelineError('INVALID_ARGUMENT', `survey cannot be published: ${(err as Error).message}`, false, {
      cause: err,
      details: { reason: 'too_large' },
    });
  }
}
