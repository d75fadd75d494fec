/**
 * One error type for the pipeline, carrying a code and a retry decision. Errors are translated at
 * the edges, in one place each: {@link toGrpcStatus} for gRPC callers; the worker's settle step for
 * JetStream (ack / nak with delay / dead-letter).
 */
import { Metadata, status as GrpcStatus } from '@grpc/grpc-js';

export const ErrorCode = {
  invalidArgument: 'INVALID_ARGUMENT',
  decode: 'DECODE',
  validation: 'VALIDATION',
  unavailable: 'UNAVAILABLE',
  resourceExhausted: 'RESOURCE_EXHAUSTED',
  timeout: 'TIMEOUT',
  sink: 'SINK',
  config: 'CONFIG',
  internal: 'INTERNAL',
  notFound: 'NOT_FOUND',
  unauthenticated: 'UNAUTHENTICATED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class PipelineError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  /** Machine-readable facts for the caller (field names, rule ids, retry-after). */
  readonly details: Readonly<Record<string, string>>;

  constructor(
    code: ErrorCode,
    message: string,
    retryable: boolean,
    options?: ErrorOptions & { details?: Record<string, string> },
  ) {
    super(message, options);
    this.name = 'PipelineError';
    this.code = code;
    this.retryable = retryable;
    this.details = Object.freeze({ ...(options?.details ?? {}) });
  }
}

const GRPC_CODES: Record<ErrorCode, GrpcStatus> = {
  INVALID_ARGUMENT: GrpcStatus.INVALID_ARGUMENT,
  DECODE: GrpcStatus.INVALID_ARGUMENT,
  VALIDATION: GrpcStatus.INVALID_ARGUMENT,
  UNAVAILABLE: GrpcStatus.UNAVAILABLE,
  RESOURCE_EXHAUSTED: GrpcStatus.RESOURCE_EXHAUSTED,
  TIMEOUT: GrpcStatus.DEADLINE_EXCEEDED,
  SINK: GrpcStatus.UNAVAILABLE,
  CONFIG: GrpcStatus.FAILED_PRECONDITION,
  INTERNAL: GrpcStatus.INTERNAL,
  NOT_FOUND: GrpcStatus.NOT_FOUND,
  UNAUTHENTICATED: GrpcStatus.UNAUTHENTICATED,
};

export interface GrpcStatusObject {
  code: GrpcStatus;
  details: string;
  metadata: Metadata;
}

/**
 * Maps any error to a gRPC status. Facts go into trailing metadata as `x-error-code` and
 * `x-detail-<key>`, so clients in any language can read them without parsing the message.
 */
export function toGrpcStatus(err: unknown): GrpcStatusObject {
  const metadata = new Metadata();
  if (err instanceof PipelineError) {
    metadata.set('x-error-code', err.code);
    metadata.set('x-retryable', String(err.retryable));
    for (const [k, v] of Object.entries(err.details)) metadata.set(`x-detail-${k}`, v);
    return { code: GRPC_CODES[err.code], details: err.message, metadata };
  }
  metadata.set('x-error-code', ErrorCode.internal);
  return { code: GrpcStatus.INTERNAL, details: 'internal error', metadata };
}

/** Narrows unknown thrown values to Error. */
export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
