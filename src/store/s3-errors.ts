/**
 * S3 failures → PipelineError, in one place. The SDK's error names (the S3 `Code`), HTTP status
 * and Node network codes decide; message text never does.
 */
import { PipelineError } from '../errors.js';

interface SdkErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

const NOT_FOUND = new Set(['NoSuchKey', 'NotFound', 'NoSuchVersion']);
const UNAUTHENTICATED = new Set([
  'AccessDenied',
  'AllAccessDisabled',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
  'CredentialsProviderError',
]);
const UNAVAILABLE = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'RequestThrottled',
  'TooManyRequestsException',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalError',
  'ServiceUnavailable',
  'TimeoutError',
]);
// Node / undici network failures: the request may not have reached S3 at all.
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

type Verdict = readonly [code: PipelineError['code'], retryable: boolean];

function classify(e: SdkErrorLike): Verdict {
  const name = e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  if (name === 'NoSuchBucket') return ['CONFIG', false];
  if (NOT_FOUND.has(name) || status === 404) return ['NOT_FOUND', false];
  if (UNAUTHENTICATED.has(name) || status === 401 || status === 403) return ['UNAUTHENTICATED', false];
  if (UNAVAILABLE.has(name) || status === 429 || status === 408 || (status !== undefined && status >= 500)) {
    return ['UNAVAILABLE', true];
  }
  if (NETWORK.has(e.code ?? '') || (status === undefined && e.$retryable !== undefined)) return ['UNAVAILABLE', true];
  if (status !== undefined && status >= 400) return ['INVALID_ARGUMENT', false];
  return ['INTERNAL', false];
}

/**
 * Translates an S3 client failure of `action` (e.g. `get raw/x.ndjson.gz`): NoSuchKey / 404 →
 * NOT_FOUND; AccessDenied, bad keys or signatures, 401/403 → UNAUTHENTICATED; throttling, 5xx and
 * network errors → UNAVAILABLE (retryable); NoSuchBucket → CONFIG; other 4xx → INVALID_ARGUMENT.
 * PipelineErrors pass through unchanged.
 */
export function translateS3Error(err: unknown, action: string): PipelineError {
  if (err instanceof PipelineError) return err;
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as SdkErrorLike;
  const [code, retryable] = classify(e);
  const details: Record<string, string> = { action, s3Code: e.name ?? 'unknown' };
  if (e.$metadata?.httpStatusCode !== undefined) details['httpStatus'] = String(e.$metadata.httpStatusCode);
  if (e.code !== undefined) details['errno'] = e.code;
  const reason = e.message || e.name || 'unknown error';
  return new PipelineError(code, `S3 ${action} failed: ${reason}`, retryable, { cause: err, details });
}
