/** Upload formats: inference from the file name, names, and which are text (UTF-8 checked). */
import { FileFormat } from '../gen/surveystream/v1/ingest.js';
import { fileError } from './types.js';

/** Formats the gateway reads. */
export type UploadFormat = 'csv' | 'xlsx' | 'json' | 'ndjson' | 'parquet';

const BY_EXTENSION: Readonly<Record<string, UploadFormat>> = {
  csv: 'csv',
  xlsx: 'xlsx',
  json: 'json',
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  parquet: 'parquet',
  pq: 'parquet',
};

const BY_PROTO: ReadonlyMap<FileFormat, UploadFormat> = new Map([
  [FileFormat.FILE_FORMAT_CSV, 'csv'],
  [FileFormat.FILE_FORMAT_XLSX, 'xlsx'],
  [FileFormat.FILE_FORMAT_JSON, 'json'],
  [FileFormat.FILE_FORMAT_NDJSON, 'ndjson'],
  [FileFormat.FILE_FORMAT_PARQUET, 'parquet'],
]);

/** The proto enum value of a format. */
export function formatToProto(format: string): FileFormat {
  for (const [proto, name] of BY_PROTO) if (name === format) return proto;
  return FileFormat.FILE_FORMAT_UNSPECIFIED;
}

/** The format from a name's extension (`.jsonl` = NDJSON, `.pq` = Parquet), or undefined. */
export function formatFromName(fileName: string): UploadFormat | undefined {
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? undefined : BY_EXTENSION[fileName.slice(dot + 1).toLowerCase()];
}

/** The format given in the header, else inferred from the name; INVALID_ARGUMENT when neither works. */
export function resolveFormat(format: FileFormat, fileName: string): UploadFormat {
  const given = BY_PROTO.get(format);
  if (given) return given;
  const inferred = formatFromName(fileName);
  if (inferred) return inferred;
  throw fileError('format', `cannot tell the format of "${fileName}": give header.format or a .csv/.xlsx/.json/.ndjson/.parquet name`);
}

/** Text formats are checked to be UTF-8 while they are received. */
export function isTextFormat(format: UploadFormat): boolean {
  return format === 'csv' || format === 'json' || format === 'ndjson';
}
