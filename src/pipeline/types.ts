/** What flows through the worker's chain: one item per JetStream message, until it is settled. */
import type { JsMsg } from '@nats-io/jetstream';
import type { SurveyRecord } from '../domain/survey-codec.js';
import type { ValidationResult } from '../validate/index.js';
import type { ProgressStatus } from '../domain/labels.js';

/** Where a record was rejected. */
export const RejectStage = { decode: 'decode', validate: 'validate', sink: 'sink' } as const;
export type RejectStage = (typeof RejectStage)[keyof typeof RejectStage];

export interface Envelope {
  readonly msg: JsMsg;
  readonly streamSeq: number;
  readonly deliveryCount: number;
  /** Stream timestamp, ms: when JetStream stored the record. */
  readonly storedAtMs: number;
  /**
   * Row version for ReplacingMergeTree: the stream timestamp in µs, so that a later submission (an
   * edit, a resend) wins over an earlier one even within the same millisecond.
   */
  readonly version: number;
}

export interface AcceptedItem {
  readonly kind: 'accepted';
  readonly env: Envelope;
  readonly record: SurveyRecord;
  readonly validation: ValidationResult;
  readonly label: { progressStatus: ProgressStatus; isVulnerable: boolean } | null;
}

export interface RejectedItem {
  readonly kind: 'rejected';
  readonly env: Envelope;
  readonly stage: RejectStage;
  readonly submissionId: string;
  readonly district: string;
  readonly ruleIds: readonly string[];
  readonly messages: readonly string[];
}

/** A record that decoded but is not validated yet. */
export interface DecodedItem {
  readonly kind: 'decoded';
  readonly env: Envelope;
  readonly record: SurveyRecord;
}

export type Item = AcceptedItem | RejectedItem;

/** A sink writes one micro-batch; every sink must commit before the batch is acked. */
export interface BatchSink {
  readonly name: string;
  write(batch: readonly Item[]): Promise<void>;
}
