import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { PipelineError } from '../errors.js';
import type { ObjectStoreOptions } from './types.js';

/** Region used when none is configured (MinIO and s3rver accept it; AWS needs the real one). */
export const DEFAULT_REGION = 'us-east-1';

type ClientOptions = Pick<ObjectStoreOptions, 'endpoint' | 'region' | 'forcePathStyle' | 'accessKeyId' | 'secretAccessKey'>;

function credentials(opts: ClientOptions): S3ClientConfig['credentials'] {
  const { accessKeyId, secretAccessKey } = opts;
  if (!accessKeyId && !secretAccessKey) return undefined; // the SDK's default provider chain
  if (!accessKeyId || !secretAccessKey) {
    throw new PipelineError('CONFIG', 'object store: set both accessKeyId and secretAccessKey, or neither', false);
  }
  return { accessKeyId, secretAccessKey };
}

/**
 * Builds the S3 client. Checksums are computed and validated only where an operation requires
 * them (`WHEN_REQUIRED`): with the SDK default, stream uploads are sent `aws-chunked` with a
 * trailing CRC, which several S3-compatible servers reject or, worse, store verbatim (a corrupt
 * object). See docs/object-store.md.
 */
export function createS3Client(opts: ClientOptions): S3Client {
  const config: S3ClientConfig = {
    region: opts.region || DEFAULT_REGION,
    forcePathStyle: opts.forcePathStyle ?? false,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
  if (opts.endpoint) config.endpoint = opts.endpoint;
  const creds = credentials(opts);
  if (creds) config.credentials = creds;
  return new S3Client(config);
}
