/**
 * Uploads a file with UploadFile: the header first, then the bytes in chunks, following the
 * call's flow control. The ingestion id arrives in the initial metadata before the upload ends.
 */
import { once } from 'node:events';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Metadata, ServiceError } from '@grpc/grpc-js';
import { FileFormat, type IngestionStatus, type UploadFileResponse } from '../gen/surveystream/v1/ingest.js';
import { callMetadata } from './connection.js';
import type { IngestClient } from './ingest-client.js';

/** Caller input for {@link uploadFile}. */
export interface UploadOptions {
  path: string;
  /** @default the path's base name */
  fileName?: string;
  /** @default inferred by the server from the file name */
  format?: FileFormat;
  metadata?: Record<string, string>;
  /** @default 64 KiB */
  chunkBytes?: number;
  /** Whole-call deadline, ms. @default 10 minutes */
  deadlineMs?: number;
  /** Called as bytes are handed to the call. */
  onProgress?: (sentBytes: number, totalBytes: number) => void;
  /** Announce the file's size in the header (lets the gateway refuse an oversized file at once). @default true */
  declareSize?: boolean;
  /** Called once the server assigned the ingestion id. */
  onIngestionId?: (id: string) => void;
}

/** The result: the id (also on failures, when the server got that far) and the status. */
export interface UploadResult {
  ingestionId: string;
  status: IngestionStatus;
}

/** Uploads the file; rejects with the call's ServiceError (its `x-detail-ingestion-id` names the ingestion). */
export async function uploadFile(client: IngestClient, opts: UploadOptions): Promise<UploadResult> {
  const total = statSync(opts.path).size;
  let ingestionId = '';
  let settled = false;
  let call!: ReturnType<IngestClient['raw']['uploadFile']>;
  const response = new Promise<UploadFileResponse>((resolve, reject) => {
    const deadline = { deadline: Date.now() + (opts.deadlineMs ?? 600_000) };
    call = client.raw.uploadFile(callMetadata(client.token), deadline, (err: ServiceError | null, res) => {
      settled = true;
      if (err) reject(err);
      else resolve(res);
    });
  });
  const answered = response.then(
    () => false,
    () => false,
  );
  call.on('metadata', (md: Metadata) => {
    const [id] = md.get('x-ingestion-id');
    if (typeof id === 'string') {
      ingestionId = id;
      opts.onIngestionId?.(id);
    }
  });
  call.write({ header: { fileName: opts.fileName ?? basename(opts.path), format: opts.format ?? FileFormat.FILE_FORMAT_UNSPECIFIED, metadata: opts.metadata ?? {}, ...(opts.declareSize === false ? {} : { sizeBytes: total }) } });
  let sent = 0;
  for await (const chunk of createReadStream(opts.path, { highWaterMark: opts.chunkBytes ?? 64 * 1024 }) as AsyncIterable<Buffer>) {
    if (settled) break; // the server answered (an error) before the end: stop sending
    sent += chunk.length;
    const more = call.write({ chunk });
    opts.onProgress?.(sent, total);
    if (!more) await Promise.race([once(call, 'drain'), answered]);
  }
  call.end();
  const res = await response;
  return { ingestionId: ingestionId || res.status!.ingestionId, status: res.status! };
}
