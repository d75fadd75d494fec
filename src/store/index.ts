/**
 * Object store: raw archives, model artifacts and uploaded files (layout in docs/object-store.md).
 * Local files under `dir` by default (`surveystream dev`, tests); S3 or any S3-compatible server
 * when `url` is `s3://bucket/prefix`. Both backends pass the same contract suite
 * (test/integration/object-store.test.ts).
 */
import { PipelineError } from '../errors.js';
import { openLocalStore } from './local-store.js';
import { createS3Client } from './s3-client.js';
import { S3ObjectStore, type S3Tuning } from './s3-store.js';
import { parseS3Url } from './s3-url.js';
import type { ObjectStore, ObjectStoreOptions } from './types.js';

export type { ObjectBody, ObjectInfo, ObjectStore, ObjectStoreOptions, PutOptions, PutResult } from './types.js';
export { applyRetention } from './retention.js';
export { parseS3Url } from './s3-url.js';

const MiB = 1024 * 1024;
/** S3 rejects multipart parts (other than the last) below 5 MiB. */
export const MIN_PART_SIZE_BYTES = 5 * MiB;
/** @see ObjectStoreOptions.multipartThresholdBytes */
export const DEFAULT_MULTIPART_THRESHOLD_BYTES = 8 * MiB;
/** @see ObjectStoreOptions.partSizeBytes */
export const DEFAULT_PART_SIZE_BYTES = 8 * MiB;

function checkInt(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new PipelineError('CONFIG', `object store ${name} must be an integer in [${min}, ${max}], got ${value}`, false);
  }
  return value;
}

/** Applies defaults and limits to the tuning options; throws CONFIG when out of range. */
function resolveTuning(opts: ObjectStoreOptions): S3Tuning {
  return {
    multipartThresholdBytes: checkInt('multipartThresholdBytes', opts.multipartThresholdBytes ?? DEFAULT_MULTIPART_THRESHOLD_BYTES, 0, 5 * 1024 * MiB),
    partSizeBytes: checkInt('partSizeBytes', opts.partSizeBytes ?? DEFAULT_PART_SIZE_BYTES, MIN_PART_SIZE_BYTES, 5 * 1024 * MiB),
    listPageSize: checkInt('listPageSize', opts.listPageSize ?? 1000, 1, 1000),
  };
}

/**
 * Opens the object store the options select: local files under `opts.dir` when `opts.url` is
 * unset or empty (the directory is created), S3 when it is `s3://bucket/prefix`. An S3 store is
 * checked with HeadBucket, so a missing bucket (`CONFIG`), bad credentials (`UNAUTHENTICATED`) or
 * an unreachable endpoint (`UNAVAILABLE`) fail here rather than on first use.
 *
 * The caller owns the store: `await using store = await openObjectStore(cfg.objectStore)`.
 */
export async function openObjectStore(opts: ObjectStoreOptions): Promise<ObjectStore> {
  const tuning = resolveTuning(opts);
  if (!opts.url) return openLocalStore(opts.dir);
  const target = parseS3Url(opts.url);
  const store = new S3ObjectStore(createS3Client(opts), target, tuning);
  try {
    await store.verify();
  } catch (err) {
    await store[Symbol.asyncDispose]();
    throw err;
  }
  return store;
}
