/** A fake JetStream message and consumer for unit tests of the worker chain (no I/O). */
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { Envelope } from '../../../src/pipeline/types.js';

export interface FakeMsg extends JsMsg {
  acked: number;
  naked: number[];
  /** The consumer handed it to the worker. */
  pulled: boolean;
}

export function fakeMsg(data: Uint8Array, seq: number, opts: { contentType?: string; deliveryCount?: number } = {}): FakeMsg {
  const h = natsHeaders();
  if (opts.contentType) h.set('Content-Type', opts.contentType);
  const msg = {
    data,
    subject: 'surveys.v1.raw.kanungu',
    headers: h,
    seq,
    info: { streamSequence: seq, deliveryCount: opts.deliveryCount ?? 1, timestampNanos: 1_700_000_000_000_000_000 + seq * 1e6 },
    timestampNanos: BigInt(1_700_000_000_000_000_000 + seq * 1e6),
    acked: 0,
    naked: [] as number[],
    pulled: false,
    ack() {
      msg.acked += 1;
    },
    nak(ms?: number) {
      msg.naked.push(ms ?? 0);
    },
  };
  return msg as unknown as FakeMsg;
}

export function envelope(msg: FakeMsg): Envelope {
  return { msg, streamSeq: msg.info.streamSequence, deliveryCount: msg.info.deliveryCount, storedAtMs: 1, version: 1000 + msg.info.streamSequence };
}

/** A consumer whose consume() yields the given messages, then waits until closed. */
export function fakeConsumer(messages: FakeMsg[]): Consumer {
  return {
    consume() {
      let closed = false;
      let wake: (() => void) | undefined;
      const iter = {
        async *[Symbol.asyncIterator]() {
          for (const m of messages) {
            if (closed) return;
            m.pulled = true;
            yield m;
          }
          while (!closed) await new Promise<void>((r) => (wake = r));
        },
        close() {
          closed = true;
          wake?.();
          return Promise.resolve();
        },
        stop() {
          closed = true;
          wake?.();
        },
      };
      return Promise.resolve(iter);
    },
  } as unknown as Consumer;
}
