/**
 * Where the original of an uploaded file is kept: `uploads/<ingestion_id>/<file name>` in the
 * object store (src/store: local files under `<dataDir>/objects` or S3). The upload path only
 * needs "put this file under this key", so it depends on this small interface.
 */
import { createReadStream } from 'node:fs';
import { PipelineError } from '../errors.js';
import type { ObjectStore } from '../store/index.js';

/** Keeps uploaded originals. */
export interface UploadObjects {
  /** Human-readable location of the store (for logs). */
  readonly location: string;
  /** Stores a local file under `key`; resolves once it is durable. */
  putFile(key: string, path: string, opts: { contentType: string; metadata: Record<string, string> }): Promise<void>;
}

/** The object key of an upload's original. */
export function uploadKey(ingestionId: string, safeFileName: string): string {
  return `uploads/${ingestionId}/${safeFileName}`;
}

/** A file name safe as the last segment of a key and of a path. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[^A-Za-z0-9._ -]+/g, '_').replace(/^[.\s~]+/, '').trim().slice(0, 200);
  return cleaned === '' ? 'upload' : cleaned;
}

/** Originals in an {@link ObjectStore}. */
export function storeUploadObjects(store: ObjectStore): UploadObjects {
  return {
    location: store.location,
    async putFile(key, path, opts) {
      try {
        await store.put(key, createReadStream(path), opts);
      } catch (err) {
        if (err instanceof PipelineError) throw err;
        throw new PipelineError('UNAVAILABLE', `cannot store the uploaded file: ${(err as Error).message}`, true, {
          cause: err,
          details: { 'retry-after-ms': '5000' },
        });
      }
    },
  };
}
