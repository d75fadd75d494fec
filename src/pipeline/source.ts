/**
 * JetStream → Observable, with a bound: a permit is taken before each record is passed on and
 * given back when the record is settled (acked or nak'ed). RxJS cannot push back, so the bound
 * lives here, before the chain (STYLE.md 2.6).
 */
import { Observable } from 'rxjs';
import type { Consumer, ConsumerMessages } from '@nats-io/jetstream';
import type { Semaphore } from './semaphore.js';
import type { Envelope } from './types.js';

export interface SourceControl {
  /** Stops pulling; records already pulled but not emitted are nak'ed for another worker. */
  stop(): void;
}

export function jetStreamSource$(
  consumer: Consumer,
  permits: Semaphore,
  pullBatch: number,
  control: { onStart?: (c: SourceControl) => void } = {},
): Observable<Envelope> {
  return new Observable<Envelope>((subscriber) => {
    let stopping = false;
    let messages: ConsumerMessages | undefined;
    const stop = (): void => {
      stopping = true;
      void messages?.close();
    };
    control.onStart?.({ stop });
    const run = async (): Promise<void> => {
      messages = await consumer.consume({ max_messages: pullBatch });
      if (stopping) void messages.close();
      for await (const msg of messages) {
        await permits.acquire();
        if (stopping) {
          msg.nak();
          permits.release();
          continue;
        }
        subscriber.next({
          msg,
          streamSeq: msg.info.streamSequence,
          deliveryCount: msg.info.deliveryCount,
          storedAtMs: Math.floor(msg.info.timestampNanos / 1e6),
          version: Number(msg.timestampNanos / 1000n),
        });
      }
      subscriber.complete();
    };
    run().catch((err: unknown) => subscriber.error(err));
    return stop;
  });
}
