import { describe, expect, it } from 'vitest';
import { PipelineError } from '../../../src/errors.js';
import { translateS3Error } from '../../../src/store/s3-errors.js';

function sdkError(name: string, status?: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status }, ...extra });
}

describe('translateS3Error', () => {
  it.each([
    [sdkError('NoSuchKey', 404), 'NOT_FOUND', false],
    [sdkError('NotFound', 404), 'NOT_FOUND', false],
    [sdkError('Unknown', 404), 'NOT_FOUND', false],
    [sdkError('NoSuchBucket', 404), 'CONFIG', false],
    [sdkError('AccessDenied', 403), 'UNAUTHENTICATED', false],
    [sdkError('InvalidAccessKeyId', 403), 'UNAUTHENTICATED', false],
    [sdkError('SignatureDoesNotMatch', 403), 'UNAUTHENTICATED', false],
    [sdkError('CredentialsProviderError'), 'UNAUTHENTICATED', false],
    [sdkError('SlowDown', 503), 'UNAVAILABLE', true],
    [sdkError('ThrottlingException', 400), 'UNAVAILABLE', true],
    [sdkError('InternalError', 500), 'UNAVAILABLE', true],
    [sdkError('Whatever', 502), 'UNAVAILABLE', true],
    [sdkError('TooMany', 429), 'UNAVAILABLE', true],
    [sdkError('TimeoutError'), 'UNAVAILABLE', true],
    [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 'UNAVAILABLE', true],
    [Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'UNAVAILABLE', true],
    [sdkError('InvalidArgument', 400), 'INVALID_ARGUMENT', false],
    [new Error('a bug'), 'INTERNAL', false],
    ['a string', 'INTERNAL', false],
  ])('maps %o to %s (retryable %s)', (err, code, retryable) => {
    const out = translateS3Error(err, 'get k');
    expect(out).toBeInstanceOf(PipelineError);
    expect(out.code).toBe(code);
    expect(out.retryable).toBe(retryable);
    expect(out.cause).toBe(err);
    expect(out.details['action']).toBe('get k');
  });

  it('passes PipelineErrors through unchanged', () => {
    const err = new PipelineError('UNAVAILABLE', 'closed', false);
    expect(translateS3Error(err, 'put k')).toBe(err);
  });

  it('records the S3 code and HTTP status as details', () => {
    const out = translateS3Error(sdkError('NoSuchKey', 404), 'get k');
    expect(out.details).toMatchObject({ s3Code: 'NoSuchKey', httpStatus: '404' });
  });
});
