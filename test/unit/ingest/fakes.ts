/** In-memory stand-ins for a NATS connection and a KV bucket (publisher, token and stream tests). */
import { EventEmitter } from 'node:events';
import type { Msg, MsgHdrs, NatsConnection, Status } from '@nats-io/transport-node';
import type { KV } from '@nats-io/kv';

/** A published message the test can answer. */
export interface Sent {
  subject: string;
  reply: string;
  headers: MsgHdrs | undefined;
  data: Uint8Array;
}

/** A connection that records publishes; `answer` delivers a reply to the inbox subscription. */
export class FakeNats {
  readonly sent: Sent[] = [];
  closed = false;
  #callback: ((err: Error | null, msg: Msg) => void) | undefined;
  #statuses: ((s: Status) => void)[] = [];

  asConnection(): NatsConnection {
    return this as unknown as NatsConnection;
  }

  subscribe(_subject: string, opts: { callback: (err: Error | null, msg: Msg) => void }): { unsubscribe(): void } {
    this.#callback = opts.callback;
    return { unsubscribe: () => undefined };
  }

  publish(subject: string, data: Uint8Array, opts: { reply: string; headers?: MsgHdrs }): void {
    if (this.closed) throw Object.assign(new Error('closed'), { name: 'ClosedConnectionError' });
    this.sent.push({ subject, reply: opts.reply, headers: opts.headers, data });
  }

  isClosed(): boolean {
    return this.closed;
  }

  status(): AsyncIterable<Status> {
    const statuses = this.#statuses;
    return {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<Status>>((resolve) => statuses.push((value) => resolve({ value, done: false }))),
      }),
    };
  }

  emitStatus(s: Status): void {
    const waiting = this.#statuses.splice(0);
    for (const w of waiting) w(s);
  }

  /** Answers the i-th publish with a PubAck body (or a status code). */
  answer(i: number, body: object): void {
    const sent = this.sent[i]!;
    const isStatus = 'code' in body && Object.keys(body).length === 1;
    const msg = {
      subject: sent.reply,
      data: isStatus ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(body)),
      headers: isStatus ? { code: (body as { code: number }).code } : undefined,
      json: () => JSON.parse(JSON.stringify(body)) as unknown,
    } as unknown as Msg;
    this.#callback?.(null, msg);
  }
}

/** A KV bucket in memory: enough of get / put / keys for the token store. */
export function fakeKv(): KV {
  const data = new Map<string, Uint8Array>();
  const kv = {
    get: (k: string) => {
      const v = data.get(k);
      return Promise.resolve(
        v ? { operation: 'PUT', length: v.length, json: () => JSON.parse(new TextDecoder().decode(v)) as unknown } : null,
      );
    },
    put: (k: string, v: string) => {
      data.set(k, new TextEncoder().encode(v));
      return Promise.resolve(data.size);
    },
    keys: () => {
      const keys = [...data.keys()];
      return Promise.resolve({ [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve(keys.length > 0 ? { value: keys.shift()!, done: false } : { value: undefined, done: true }) }) });
    },
  };
  return kv as unknown as KV;
}

/** A minimal server call: metadata, deadline, cancel, and (for streams) Duplex-like behaviour. */
export class FakeCall extends EventEmitter {
  cancelled = false;
  readonly written: unknown[] = [];
  paused = false;
  writableLength = 0;
  ended = false;
  error: unknown;
  readonly metadata: { get(key: string): string[] };
  readonly request: unknown;

  constructor(opts: { authorization?: string; request?: unknown } = {}) {
    super();
    this.metadata = { get: (key: string) => (key === 'authorization' && opts.authorization ? [opts.authorization] : []) };
    this.request = opts.request;
    this.on('error', (err: unknown) => (this.error = err));
  }

  getDeadline(): number {
    return Infinity;
  }

  write(x: unknown): boolean {
    this.written.push(x);
    return true;
  }

  end(): void {
    this.ended = true;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
  }
}
