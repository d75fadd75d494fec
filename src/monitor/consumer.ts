/**
 * JetStream consumer health from `jsm.consumers.info`: lag (messages not yet delivered), ack
 * pending, redeliveries, and stall detection. A consumer is stalled when work is waiting
 * (num_pending + num_ack_pending > 0) and either its ack floor has not moved for `stallMs`, or
 * ack-pending has been pinned at max_ack_pending for `stallMs`.
 */
import type { JetStreamManager } from '@nats-io/jetstream';

/** The figures the monitor reads from consumer info. */
export interface ConsumerSample {
  readonly stream: string;
  readonly consumer: string;
  readonly pending: number;
  readonly ackPending: number;
  readonly redelivered: number;
  readonly maxAckPending: number;
  readonly ackFloorSeq: number;
  readonly atMs: number;
}

/** Reads one sample of a consumer's state. */
export async function sampleConsumer(jsm: JetStreamManager, stream: string, consumer: string, atMs = Date.now()): Promise<ConsumerSample> {
  const info = await jsm.consumers.info(stream, consumer);
  return {
    stream,
    consumer,
    pending: info.num_pending,
    ackPending: info.num_ack_pending,
    redelivered: info.num_redelivered,
    maxAckPending: info.config.max_ack_pending ?? -1,
    ackFloorSeq: info.ack_floor.stream_seq,
    atMs,
  };
}

/** Remembers progress across samples and says whether the consumer is stalled. */
export class StallDetector {
  #lastFloor = -1;
  #floorSince = 0;
  #pinnedSince: number | undefined;

  /** Milliseconds the consumer has been stalled (0 = making progress or idle). */
  observe(s: ConsumerSample): number {
    const waiting = s.pending + s.ackPending > 0;
    if (s.ackFloorSeq !== this.#lastFloor || !waiting) {
      this.#lastFloor = s.ackFloorSeq;
      this.#floorSince = s.atMs;
    }
    const pinned = s.maxAckPending > 0 && s.ackPending >= s.maxAckPending;
    this.#pinnedSince = pinned ? (this.#pinnedSince ?? s.atMs) : undefined;
    if (!waiting) return 0;
    const noProgress = s.atMs - this.#floorSince;
    const pinnedFor = this.#pinnedSince === undefined ? 0 : s.atMs - this.#pinnedSince;
    return Math.max(noProgress, pinnedFor);
  }
}
