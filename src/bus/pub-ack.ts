/**
 * JetStream PubAcks read off the reply inbox, and their failures translated into PipelineErrors
 * the gRPC edge understands: UNAVAILABLE / RESOURCE_EXHAUSTED with a retry hint for the bus, or
 * INVALID_ARGUMENT for a record JetStream will never take (too large).
 */
import type { Msg } from '@nats-io/transport-node';
import { PipelineError } from '../errors.js';

/** What JetStream answered for one stored (or deduplicated) message. */
export interface PublishResult {
  /** Stream sequence of the message (of the original one for a duplicate). */
  seq: number;
  /** True when the msg id was already in the duplicate window: nothing new was stored. */
  duplicate: boolean;
}

interface PubAckBody {
  stream?: string;
  seq?: number;
  duplicate?: boolean;
  error?: { code?: number; err_code?: number; description?: string };
}

/** JetStream API error codes we act on (nats-server `errors.json`). */
export const JsErrCode = {
  /** "maximum messages/bytes exceeded" on a stream with discard new. */
  streamStoreFailed: 10077,
  /** "insufficient resources". */
  insufficientResources: 10023,
  /** "message size exceeds maximum allowed". */
  messageTooLarge: 10054,
} as const;

/** Retry hints, ms, given to clients in `x-detail-retry-after-ms`. */
export const RetryAfterMs = { unavailable: 1000, timeout: 2000, saturated: 500, full: 5000 } as const;

/** The bus cannot take messages right now: the client should retry after the hint. */
export function unavailable(message: string, retryAfterMs: number, cause?: unknown): PipelineError {
  return new PipelineError('UNAVAILABLE', message, true, {
    cause,
    details: { 'retry-after-ms': String(retryAfterMs) },
  });
}

/** The bus (or the gateway's window onto it) is full: the client should slow down. */
export function exhausted(message: string, retryAfterMs: number, cause?: unknown): PipelineError {
  return new PipelineError('RESOURCE_EXHAUSTED', message, true, {
    cause,
    details: { 'retry-after-ms': String(retryAfterMs) },
  });
}

function fromApiError(error: NonNullable<PubAckBody['error']>): PipelineError {
  const text = error.description ?? 'unknown error';
  const errCode = error.err_code;
  if (errCode === JsErrCode.streamStoreFailed || errCode === JsErrCode.insufficientResources) {
    return exhausted(`JetStream refused the survey: ${text}`, RetryAfterMs.full);
  }
  if (errCode === JsErrCode.messageTooLarge) {
    return new PipelineError('INVALID_ARGUMENT', `survey too large for the stream: ${text}`, false, {
      details: { reason: 'too_large' },
    });
  }
  if (error.code === 400) return new PipelineError('INVALID_ARGUMENT', `JetStream refused the survey: ${text}`, false);
  return unavailable(`JetStream refused the survey: ${text}; retry later`, RetryAfterMs.unavailable);
}

/**
 * Reads one reply on the publisher's inbox: a PubAck, a PubAck carrying an `error`, or a NATS
 * status message (503 = no stream listens on the subject / JetStream is down).
 */
export function parsePubAck(msg: Msg): PublishResult | PipelineError {
  const code = msg.headers?.code ?? 0;
  if (code >= 300) {
    return code === 503
      ? unavailable('JetStream is not available (no responders); retry later', RetryAfterMs.unavailable)
      : unavailable(`JetStream answered status ${code}; retry later`, RetryAfterMs.unavailable);
  }
  let body: PubAckBody;
  try {
    body = msg.json<PubAckBody>();
  } catch (err) {
    return unavailable('unreadable PubAck from JetStream; retry later', RetryAfterMs.unavailable, err);
  }
  if (body.error) return fromApiError(body.error);
  if (typeof body.seq !== 'number') return unavailable('PubAck without a sequence; retry later', RetryAfterMs.unavailable);
  return { seq: body.seq, duplicate: body.duplicate === true };
}

/**
 * True for errors that concern the record itself (resending it cannot help) rather than the bus:
 * a stream answers them per record without ending the call.
 */
export function isRecordError(err: PipelineError): boolean {
  return !err.retryable && (err.code === 'INVALID_ARGUMENT' || err.code === 'DECODE');
}
