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

/** One scoring call: which model ran, when, and how long it took per record. Shared by a batch's predictions. */
export interface ScoringRun {
  readonly modelName: string;
  readonly modelVersion: string;
  readonly specVersion: string;
  /** Batch scoring time divided over the batch's records, ms. */
  readonly latencyMs: number;
  readonly scoredAtMs: number;
}

/** A model's verdict on one record. */
export interface PredictionResult {
  readonly probability: number;
  readonly vulnerable: boolean;
  readonly risk: string;
  readonly confidence: number;
  readonly run: ScoringRun;
}

/**
 * A record that passed validation. Build it with {@link acceptedItem}: every item then has the same
 * property layout from birth, and the stages below fill their slots in place. (An item grown by
 * `{ ...item, extra }` got a hidden class of its own in V8, which made every property read in the
 * later stages a megamorphic lookup: about 250 ns per record per read.)
 */
export interface AcceptedItem {
  readonly kind: 'accepted';
  readonly env: Envelope;
  readonly record: SurveyRecord;
  readonly validation: ValidationResult;
  readonly label: { progressStatus: ProgressStatus; isVulnerable: boolean } | null;
  /** Model input row, set in place by the featurize stage with `features.spec` (the champion's at the time). */
  features: FeatureRow | undefined;
  /** The champion model's prediction, set in place by the score step (its only writer). */
  prediction: PredictionResult | undefined;
  /** A shadow model's prediction (ClickHouse only, never published), set by the score step. */
  shadow: PredictionResult | undefined;
}

/** A record's model input: `row` was made with `spec`. */
export interface FeatureRow {
  readonly spec: object;
  readonly row: Float32Array;
}

/** An accepted item with all of its slots present (see {@link AcceptedItem}). */
export function acceptedItem(env: Envelope, record: SurveyRecord, validation: ValidationResult, label: AcceptedItem['label']): AcceptedItem {
  return { kind: 'accepted', env, record, validation, label, features: undefined, prediction: undefined, shadow: undefined };
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

/** A step that enriches a whole micro-batch (scoring); it throws to have the batch retried. */
export type BatchStep = (batch: readonly Item[]) => Promise<Item[]>;

/** A sink writes one micro-batch; every sink must commit before the batch is acked. */
export interface BatchSink {
  readonly name: string;
  write(batch: readonly Item[]): Promise<void>;
}
