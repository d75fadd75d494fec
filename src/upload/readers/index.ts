/** The reader of each upload format. */
import type { UploadFormat } from '../formats.js';
import type { SourceItem, UploadLimits } from '../types.js';
import { readCsv } from './csv.js';
import { readJsonArray, readNdjson } from './json.js';
import { readParquet } from './parquet.js';
import { readXlsx } from './xlsx.js';

/** Reads a spooled file as header/rows (CSV, XLSX, Parquet) or objects (JSON, NDJSON). */
export function readSource(format: UploadFormat, path: string, limits: UploadLimits): AsyncGenerator<SourceItem> {
  switch (format) {
    case 'csv':
      return readCsv(path);
    case 'json':
      return readJsonArray(path);
    case 'ndjson':
      return readNdjson(path);
    case 'parquet':
      return readParquet(path);
    case 'xlsx':
      return readXlsx(path, limits);
  }
}
