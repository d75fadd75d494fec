/**
 * Multipart uploads through `@aws-sdk/lib-storage`, with the cleanup S3 does not do by itself: the
 * parts of a failed or aborted upload are billed and kept until an AbortMultipartUpload.
 */
import { AbortMultipartUploadCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { asError } from '../errors.js';
import type { CountedStream } from './body.js';

/** Object parameters of an upload. */
export interface UploadTarget {
  Bucket: string;
  Key: string;
  ContentType?: string;
  Metadata?: Record<string, string>;
}

/** Parts uploaded in parallel; memory use is at most this many parts. */
const QUEUE_SIZE = 4;

/**
 * Uploads `body` in parts of `partSizeBytes` (a single PutObject when it fits in one part).
 * On failure the source is destroyed and the multipart upload aborted, and the first cause is
 * thrown: the source's own error if it failed, else the S3 error.
 */
export async function uploadParts(
  client: S3Client,
  target: UploadTarget,
  body: CountedStream,
  partSizeBytes: number,
): Promise<{ etag?: string }> {
  const upload = new Upload({
    client,
    params: { ...target, Body: body.stream },
    partSize: partSizeBytes,
    queueSize: QUEUE_SIZE,
    leavePartsOnError: false,
  });
  try {
    const out = await upload.done();
    return { etag: out.ETag };
  } catch (err) {
    // lib-storage replaces the cause with the abort's own error when its abort fails, so the
    // source's failure is read first.
    const cause = body.sourceError() ?? asError(err);
    body.abort(cause);
    await abortUpload(client, target, upload.uploadId);
    throw cause;
  }
}

/**
 * Aborts a multipart upload. lib-storage has normally done so already; this second request makes
 * sure (NoSuchUpload then), and is the only one when lib-storage's own abort failed.
 */
async function abortUpload(client: S3Client, target: UploadTarget, uploadId: string | undefined): Promise<void> {
  if (uploadId === undefined) return; // no multipart upload was created
  try {
    await client.send(new AbortMultipartUploadCommand({ Bucket: target.Bucket, Key: target.Key, UploadId: uploadId }));
  } catch {
    // NoSuchUpload (already aborted) or the server cannot: nothing else can be done here; a bucket
    // lifecycle rule (AbortIncompleteMultipartUpload) is the backstop, see docs/object-store.md.
  }
}
