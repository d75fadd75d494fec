/**
 * The object store contract shared by the local-files and S3 backends. Re-exported by `index.ts`.
 */
import type { Readable } from 'node:stream';

/** What `head` and `list` tell about one object. */
export interface ObjectInfo {
  /** Key relative to the store (the S3 URL prefix is not part of it). */
  key: string;
  /** Size in bytes. */
  size: number;
  /** Last write (S3: `LastModified`; local: file mtime). */
  lastModified: Date;
  /** User metadata, keys lower-cased. Filled by `head` only: S3 listings do not carry it. */
  metadata?: Record<string, string>;
  /** Content type given at `put`. Filled by `head` only. */
  contentType?: string;
}

/** Body accepted by {@link ObjectStore.put}: bytes, a UTF-8 string, or a stream of bytes. */
export type ObjectBody = Uint8Array | string | NodeJS.ReadableStream;

/** Options of one {@link ObjectStore.put}. */
export interface PutOptions {
  /** Stored and returned by `head`. When unset, S3 servers report their default (AWS: `binary/octet-stream`); the local backend reports none. */
  contentType?: string;
  /** User metadata: keys `[a-z0-9._-]` (lower-cased), printable ASCII values, 2 KiB in all. */
  metadata?: Record<string, string>;
}

/** Result of one {@link ObjectStore.put}. */
export interface PutResult {
  key: string;
  /** Bytes stored. */
  size: number;
  /** Entity tag when the backend gives one (S3). */
  etag?: string;
}

/**
 * A flat key space of immutable blobs. Keys are `/`-separated paths (see `docs/object-store.md`);
 * every method rejects with a `PipelineError` (`INVALID_ARGUMENT`, `NOT_FOUND`, `UNAVAILABLE`,
 * `UNAUTHENTICATED`, ...). Disposing aborts unfinished uploads and releases the backend.
 */
export interface ObjectStore extends AsyncDisposable {
  readonly kind: 'local' | 's3';
  /** Human-readable location, e.g. `file:///abs/dir` or `s3://bucket/prefix`. */
  readonly location: string;
  /** Writes the whole object atomically: readers see the old object or the new one, never a part. */
  put(key: string, body: ObjectBody, opts?: PutOptions): Promise<PutResult>;
  /** Reads a whole object into memory. `NOT_FOUND` when missing. */
  get(key: string): Promise<Buffer>;
  /** Opens a stream of the object's bytes. `NOT_FOUND` (on the promise) when missing. */
  getStream(key: string): Promise<Readable>;
  /** Size, time and metadata of an object, or `undefined` when it is missing. */
  head(key: string): Promise<ObjectInfo | undefined>;
  /**
   * Every object whose key starts with `prefix` (`''` = all), in UTF-8 byte order of the key.
   * S3 is read page by page, so this is safe on large prefixes.
   */
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /** Deletes objects; missing keys are not an error. */
  delete(keys: string | string[]): Promise<void>;
  /** Copies an object with its metadata. `NOT_FOUND` when `from` is missing. */
  copy(from: string, to: string): Promise<void>;
}

/**
 * Caller input for {@link openObjectStore}; the shape of the `objectStore` config section plus
 * tuning knobs.
 */
export interface ObjectStoreOptions {
  /** `s3://bucket/prefix` selects S3; unset (or empty) selects local files under {@link dir}. */
  url?: string;
  /** Root directory of the local backend. Ignored for S3. */
  dir: string;
  /** S3 endpoint for MinIO, R2, Ceph, ... (e.g. `http://127.0.0.1:9000`). Unset = AWS. */
  endpoint?: string;
  /** @default 'us-east-1' */
  region?: string;
  /** Path-style addressing (`endpoint/bucket/key`); most non-AWS servers need it. @default false */
  forcePathStyle?: boolean;
  /** Static credentials; both or neither. Unset = the AWS default provider chain. */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Buffered bodies larger than this go through a multipart upload, bytes. @default 8 MiB */
  multipartThresholdBytes?: number;
  /** Multipart part size, bytes; at least 5 MiB (an S3 limit). @default 8 MiB */
  partSizeBytes?: number;
  /** Keys per S3 list request (1..1000); tests lower it to exercise paging. @default 1000 */
  listPageSize?: number;
}
