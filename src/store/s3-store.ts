/**
 * The S3 backend (AWS, MinIO, R2, Ceph, s3rver) through @aws-sdk/client-s3. Store keys are
 * prefixed with the URL's prefix; every failure is translated by {@link translateS3Error}.
 */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadBucketCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { PipelineError } from '../errors.js';
import { countedStream, isBuffered, toBuffer, type CountedStream } from './body.js';
import { InFlight } from './in-flight.js';
import { assertValidKey, assertValidPrefix, normalizeMetadata } from './keys.js';
import { translateS3Error } from './s3-errors.js';
import { uploadParts, type UploadTarget } from './s3-upload.js';
import type { ObjectBody, ObjectInfo, ObjectStore, PutOptions, PutResult } from './types.js';

/** Sizes that steer uploads and listings (validated by `openObjectStore`). */
export interface S3Tuning {
  multipartThresholdBytes: number;
  partSizeBytes: number;
  listPageSize: number;
}

/** Where the store lives: a bucket and a key prefix without leading or trailing `/`. */
export interface S3Target {
  bucket: string;
  prefix: string;
}

const DELETE_BATCH = 1000; // DeleteObjects limit

/** Object store on S3. Takes ownership of `client` and destroys it on dispose. */
export class S3ObjectStore implements ObjectStore {
  readonly kind = 's3' as const;
  readonly location: string;
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #keyPrefix: string;
  readonly #tuning: S3Tuning;
  readonly #inFlight: InFlight;

  constructor(client: S3Client, target: S3Target, tuning: S3Tuning) {
    this.#client = client;
    this.#bucket = target.bucket;
    this.#keyPrefix = target.prefix === '' ? '' : `${target.prefix}/`;
    this.#tuning = tuning;
    this.location = `s3://${target.bucket}${target.prefix === '' ? '' : `/${target.prefix}`}`;
    this.#inFlight = new InFlight(this.location);
  }

  /** Fails fast on a missing bucket or bad credentials (HeadBucket). */
  async verify(): Promise<void> {
    try {
      await this.#send(`open ${this.location}`, () => this.#client.send(new HeadBucketCommand({ Bucket: this.#bucket })));
    } catch (err) {
      if (!(err instanceof PipelineError && err.code === 'NOT_FOUND')) throw err;
      throw new PipelineError('CONFIG', `bucket ${this.#bucket} does not exist`, false, { cause: err, details: err.details });
    }
  }

  async put(key: string, body: ObjectBody, opts: PutOptions = {}): Promise<PutResult> {
    assertValidKey(key);
    this.#inFlight.assertOpen(); // before a stream body starts flowing
    const target: UploadTarget = { Bucket: this.#bucket, Key: this.#keyPrefix + key };
    if (opts.contentType !== undefined) target.ContentType = opts.contentType;
    const metadata = normalizeMetadata(opts.metadata);
    if (metadata !== undefined) target.Metadata = metadata;
    const action = `put ${key}`;
    const bytes = isBuffered(body) ? toBuffer(body) : undefined;
    if (bytes !== undefined && bytes.length <= this.#tuning.multipartThresholdBytes) {
      const out = await this.#send(action, () => this.#client.send(new PutObjectCommand({ ...target, Body: bytes })));
      return withEtag({ key, size: bytes.length }, out.ETag);
    }
    const counted = countedStream(bytes !== undefined ? Readable.from([bytes]) : (body as NodeJS.ReadableStream));
    const out = await this.#send(action, () => this.#upload(target, counted));
    return withEtag({ key, size: counted.bytes() }, out.etag);
  }

  async get(key: string): Promise<Buffer> {
    const body = await this.#getBody(key);
    const bytes = await this.#send(`get ${key}`, () => body.transformToByteArray());
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async getStream(key: string): Promise<Readable> {
    const body = await this.#getBody(key);
    if (!(body instanceof Readable)) throw new PipelineError('INTERNAL', 'S3 body is not a Node stream', false);
    return Readable.from(translateErrors(body, `get ${key}`), { objectMode: false });
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    assertValidKey(key);
    try {
      const out = await this.#send(`head ${key}`, () =>
        this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: this.#keyPrefix + key })),
      );
      const info: ObjectInfo = { key, size: out.ContentLength ?? 0, lastModified: out.LastModified ?? new Date(0) };
      if (out.Metadata && Object.keys(out.Metadata).length > 0) info.metadata = out.Metadata;
      if (out.ContentType !== undefined) info.contentType = out.ContentType;
      return info;
    } catch (err) {
      if (err instanceof PipelineError && err.code === 'NOT_FOUND') return undefined;
      throw err;
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    assertValidPrefix(prefix);
    this.#inFlight.assertOpen();
    const pages = paginateListObjectsV2(
      { client: this.#client, pageSize: this.#tuning.listPageSize },
      { Bucket: this.#bucket, Prefix: this.#keyPrefix + prefix },
    );
    try {
      for await (const page of pages) {
        for (const obj of page.Contents ?? []) {
          if (obj.Key === undefined) continue;
          yield { key: obj.Key.slice(this.#keyPrefix.length), size: obj.Size ?? 0, lastModified: obj.LastModified ?? new Date(0) };
        }
        this.#inFlight.assertOpen();
      }
    } catch (err) {
      throw translateS3Error(err, `list ${prefix}`);
    }
  }

  async delete(keys: string | string[]): Promise<void> {
    const all = typeof keys === 'string' ? [keys] : keys;
    for (const key of all) assertValidKey(key);
    if (all.length === 1) {
      const Key = this.#keyPrefix + all[0]!;
      await this.#send(`delete ${all[0]!}`, () => this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key })));
      return;
    }
    for (let i = 0; i < all.length; i += DELETE_BATCH) await this.#deleteBatch(all.slice(i, i + DELETE_BATCH));
  }

  async copy(from: string, to: string): Promise<void> {
    assertValidKey(from);
    assertValidKey(to);
    const source = `${this.#bucket}/${encodeKey(this.#keyPrefix + from)}`;
    await this.#send(`copy ${from} to ${to}`, () =>
      this.#client.send(new CopyObjectCommand({ Bucket: this.#bucket, Key: this.#keyPrefix + to, CopySource: source, MetadataDirective: 'COPY' })),
    );
  }

  /** Aborts unfinished uploads (their parts are discarded), waits for the rest, destroys the client. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.#inFlight.close(() => this.#client.destroy());
  }

  /** Runs one tracked S3 operation and translates its failure. */
  async #send<T>(action: string, op: () => Promise<T>): Promise<T> {
    try {
      return await this.#inFlight.run(op);
    } catch (err) {
      throw translateS3Error(err, action);
    }
  }

  async #upload(target: UploadTarget, counted: CountedStream): Promise<{ etag?: string }> {
    const unregister = this.#inFlight.onAbort((reason) => counted.abort(reason));
    try {
      return await uploadParts(this.#client, target, counted, this.#tuning.partSizeBytes);
    } finally {
      unregister();
    }
  }

  async #getBody(key: string): Promise<NonNullable<GetObjectCommandOutput['Body']>> {
    assertValidKey(key);
    const out = await this.#send(`get ${key}`, () =>
      this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: this.#keyPrefix + key })),
    );
    if (out.Body === undefined) throw new PipelineError('INTERNAL', `S3 get ${key} returned no body`, false);
    return out.Body;
  }

  async #deleteBatch(keys: string[]): Promise<void> {
    const Objects = keys.map((k) => ({ Key: this.#keyPrefix + k }));
    const out = await this.#send(`delete ${keys.length} objects`, () =>
      this.#client.send(new DeleteObjectsCommand({ Bucket: this.#bucket, Delete: { Objects, Quiet: true } })),
    );
    const failed = (out.Errors ?? []).find((e) => e.Code !== 'NoSuchKey');
    if (failed) {
      const err = Object.assign(new Error(failed.Message ?? 'delete failed'), { name: failed.Code ?? 'Unknown' });
      throw translateS3Error(err, `delete ${(failed.Key ?? '').slice(this.#keyPrefix.length)}`);
    }
  }
}

function withEtag(result: PutResult, etag: string | undefined): PutResult {
  return etag === undefined ? result : { ...result, etag };
}

/** CopySource is `bucket/key` with the key URL-encoded segment by segment. */
function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

/** Re-throws mid-stream failures of an S3 body as PipelineErrors. */
async function* translateErrors(body: Readable, action: string): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of body) yield chunk as Buffer;
  } catch (err) {
    throw translateS3Error(err, action);
  }
}
