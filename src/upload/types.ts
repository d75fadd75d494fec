/** Shared shapes of the upload path: limits, what readers yield, file-level errors. */
import { PipelineError } from '../errors.js';

/** Bounds of one upload (from the `grpc` config). */
export interface UploadLimits {
  /** Largest file, bytes. */
  readonly maxBytes: number;
  /** Most data rows. */
  readonly maxRows: number;
  /** XLSX: most bytes the zip entries may inflate to, in all. */
  readonly maxInflatedBytes: number;
  /** XLSX: largest inflated/compressed ratio of an entry over 1 MiB. */
  readonly maxZipRatio: number;
}

/** What a format reader yields, in file order. Rows are numbered from 1 (the header is not a row). */
export type SourceItem =
  /** Header formats (CSV, XLSX, Parquet): the column names, once, before any row. */
  | { readonly kind: 'columns'; readonly names: readonly string[] }
  /** A row of a header format: cells in column order. */
  | { readonly kind: 'cells'; readonly row: number; readonly cells: readonly unknown[] }
  /** A row of a JSON format: one parsed value (should be an object). */
  | { readonly kind: 'object'; readonly row: number; readonly value: unknown }
  /** A row that could not be read at all (e.g. an NDJSON line that is not JSON). */
  | { readonly kind: 'bad'; readonly row: number; readonly reasonCode: string; readonly message: string };

/** Why a whole file is refused (`x-detail-reason`). */
export const FileErrorReason = {
  format: 'format',
  columns: 'columns',
  utf8: 'utf8',
  csv: 'csv',
  json: 'json',
  xlsx: 'xlsx',
  parquet: 'parquet',
  zipBomb: 'zip_bomb',
  tooLarge: 'too_large',
  tooManyRows: 'too_many_rows',
  empty: 'empty',
  header: 'header',
} as const;
export type FileErrorReason = (typeof FileErrorReason)[keyof typeof FileErrorReason];

/** A file-level error: INVALID_ARGUMENT (or RESOURCE_EXHAUSTED for limits) with `details.reason`. */
export function fileError(reason: FileErrorReason, message: string, cause?: unknown, extra: Record<string, string> = {}): PipelineError {
  const limit = reason === 'too_large' || reason === 'too_many_rows' || reason === 'zip_bomb';
  return new PipelineError(limit ? 'RESOURCE_EXHAUSTED' : 'INVALID_ARGUMENT', message, false, {
    cause,
    details: { reason, ...extra },
  });
}

/** The message of an unknown thrown value, bounded. */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
