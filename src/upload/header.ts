/** The header of an upload: checked file name, format, metadata and declared size. */
import { randomBytes } from 'node:crypto';
import type { UploadHeader } from '../gen/surveystream/v1/ingest.js';
import { PipelineError } from '../errors.js';
import { resolveFormat, type UploadFormat } from './formats.js';
import { safeFileName } from './object-sink.js';
import { fileError } from './types.js';

/** A checked header. */
export interface UploadInfo {
  /** The name as given (shown back in the status). */
  readonly fileName: string;
  /** The name used for the spool file and the object key. */
  readonly safeName: string;
  readonly format: UploadFormat;
  readonly metadata: Readonly<Record<string, string>>;
  /** The size the client announced, if any. */
  readonly sizeBytes?: number;
}

/** Refuses at once a file whose announced size is over the limit. */
export function checkDeclaredSize(info: UploadInfo, maxBytes: number): void {
  if (info.sizeBytes !== undefined && info.sizeBytes > maxBytes) {
    throw fileError('too_large', `the file (${info.sizeBytes} bytes) is larger than the limit of ${maxBytes} bytes`, undefined, {
      'limit-bytes': String(maxBytes),
    });
  }
}

const MAX_METADATA_ENTRIES = 32;
const METADATA_KEY_RE = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_METADATA_VALUE = 512;

function invalid(message: string, field: string): PipelineError {
  return new PipelineError('INVALID_ARGUMENT', message, false, { details: { field } });
}

function checkMetadata(metadata: Record<string, string>): Record<string, string> {
  const entries = Object.entries(metadata);
  if (entries.length > MAX_METADATA_ENTRIES) throw invalid(`at most ${MAX_METADATA_ENTRIES} metadata entries`, 'header.metadata');
  for (const [k, v] of entries) {
    if (!METADATA_KEY_RE.test(k)) throw invalid(`metadata key ${JSON.stringify(k.slice(0, 64))} must match [A-Za-z0-9_.-]{1,64}`, 'header.metadata');
    if (v.length > MAX_METADATA_VALUE) throw invalid(`metadata value of ${k} is longer than ${MAX_METADATA_VALUE}`, 'header.metadata');
  }
  return { ...metadata };
}

/** Checks the header message; throws INVALID_ARGUMENT. */
export function checkHeader(header: UploadHeader | undefined): UploadInfo {
  if (!header) throw invalid('the first UploadFile message must carry the header', 'header');
  const fileName = header.fileName.trim();
  if (!fileName || fileName.length > 255) throw invalid('header.file_name must be 1-255 characters', 'header.file_name');
  const format = resolveFormat(header.format, fileName);
  return { fileName, safeName: safeFileName(fileName), format, metadata: checkMetadata(header.metadata), ...(header.sizeBytes !== undefined ? { sizeBytes: header.sizeBytes } : {}) };
}

/** A new ingestion id: `ing-<UTC yyyymmddhhmmss>-<10 hex>`, sortable by time. */
export function newIngestionId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `ing-${stamp}-${randomBytes(5).toString('hex')}`;
}
