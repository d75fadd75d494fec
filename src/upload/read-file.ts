/**
 * Surveys from a file on disk, read exactly as an upload reads it (same readers, column aliases,
 * typing and row checks): CSV, XLSX, JSON, NDJSON or Parquet by the file's extension. Used by
 * `surveystream train --from FILE`.
 */
import { basename } from 'node:path';
import { PipelineError } from '../errors.js';
import { formatFromName } from './formats.js';
import type { ConvertedRow } from './rows.js';
import { scanRows, type ScanSummary } from './scan.js';
import type { UploadLimits } from './types.js';

/** Generous bounds for a local file (an upload's are set by the operator). */
const LOCAL_LIMITS: UploadLimits = { maxBytes: Number.MAX_SAFE_INTEGER, maxRows: 50_000_000, maxInflatedBytes: 8 * 1024 ** 3, maxZipRatio: 200 };

/** Every data row of the file, converted (a record, or the row's errors); file-level problems throw. */
export function readSurveyFile(path: string, summary: ScanSummary = { unknownColumns: [] }): AsyncGenerator<ConvertedRow> {
  const format = formatFromName(path);
  if (!format) throw new PipelineError('INVALID_ARGUMENT', `${path}: unknown file type (use .csv, .xlsx, .json, .ndjson/.jsonl or .parquet)`, false);
  const name = basename(path);
  return scanRows({ format, path, limits: LOCAL_LIMITS, defaults: { idPrefix: name, deviceId: 'file', fieldOfficerId: '' } }, summary);
}
