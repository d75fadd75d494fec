import { PipelineError } from '../errors.js';
import { assertValidKey } from './keys.js';

// Bucket names: 3-63 of lower-case letters, digits, dots and hyphens (AWS rules; upper case and
// underscores are accepted too for older buckets and other servers).
const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]$/;
const S3_URL = /^s3:\/\/([^/?#]*)(?:\/([^?#]*))?$/;

function badUrl(url: string, why: string, cause?: unknown): PipelineError {
  return new PipelineError('CONFIG', `object store URL ${JSON.stringify(url)} ${why}`, false, {
    cause,
    details: { url },
  });
}

/**
 * Splits `s3://bucket/some/prefix` into the bucket and the key prefix. Leading and trailing
 * slashes of the prefix are dropped (`''` when there is none). Throws `CONFIG` when malformed.
 *
 * @example parseS3Url('s3://surveys/prod/') // { bucket: 'surveys', prefix: 'prod' }
 */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const match = S3_URL.exec(url);
  if (!match) throw badUrl(url, 'is not of the form s3://bucket/prefix');
  const bucket = match[1] ?? '';
  if (!BUCKET.test(bucket)) throw badUrl(url, 'has an invalid bucket name');
  const prefix = (match[2] ?? '').replace(/^\/+|\/+$/g, '');
  if (prefix !== '') {
    try {
      assertValidKey(prefix);
    } catch (err) {
      throw badUrl(url, `has an invalid prefix: ${(err as Error).message}`, err);
    }
  }
  return { bucket, prefix };
}
