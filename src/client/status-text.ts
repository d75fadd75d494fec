/** Human-readable ingestion statuses and progress bars for the CLI. */
import { FileFormat, IngestionState, type IngestionStatus } from '../gen/surveystream/v1/ingest.js';

const STATE_NAMES: Readonly<Record<number, string>> = {
  [IngestionState.INGESTION_STATE_RUNNING]: 'running',
  [IngestionState.INGESTION_STATE_COMPLETE]: 'complete',
  [IngestionState.INGESTION_STATE_PARTIAL]: 'partial',
  [IngestionState.INGESTION_STATE_FAILED]: 'failed',
};

const FORMAT_NAMES: Readonly<Record<number, string>> = {
  [FileFormat.FILE_FORMAT_CSV]: 'csv',
  [FileFormat.FILE_FORMAT_XLSX]: 'xlsx',
  [FileFormat.FILE_FORMAT_JSON]: 'json',
  [FileFormat.FILE_FORMAT_NDJSON]: 'ndjson',
  [FileFormat.FILE_FORMAT_PARQUET]: 'parquet',
};

/** `running`, `complete`, `partial`, `failed` (or `unknown`). */
export function stateName(state: IngestionState): string {
  return STATE_NAMES[state] ?? 'unknown';
}

/** Parses a format flag value (`csv`, ...). */
export function formatFromFlag(value: string): FileFormat | undefined {
  const entry = Object.entries(FORMAT_NAMES).find(([, name]) => name === value.toLowerCase());
  return entry ? (Number(entry[0]) as FileFormat) : undefined;
}

/** `[########----------]  42%` */
export function bar(done: number, total: number, width = 24): string {
  const share = total > 0 ? Math.min(1, done / total) : 0;
  const full = Math.round(share * width);
  return `[${'#'.repeat(full)}${'-'.repeat(width - full)}] ${String(Math.round(share * 100)).padStart(3)}%`;
}

/** Bytes as `12.3 MB`. */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/** The rows line of a status: where the file's rows are. */
export function rowsLine(s: IngestionStatus): string {
  return (
    `rows: ${s.rowsReceived} received, ${s.rowsRejected} rejected at upload, ${s.rowsPublished} published` +
    `${s.rowsDuplicate ? ` (+${s.rowsDuplicate} duplicates)` : ''}, ${s.rowsStored} stored, ${s.rowsDeadLettered} dead-lettered` +
    (s.rowsScored ? `, ${s.rowsScored} scored` : '')
  );
}

/** A multi-line summary of a status. */
export function statusText(s: IngestionStatus): string {
  const lines = [
    `ingestion ${s.ingestionId}: ${stateName(s.state)}`,
    `file: ${s.fileName} (${FORMAT_NAMES[s.format] ?? 'unknown'}, ${bytes(s.bytesReceived)})${s.objectKey ? ` stored as ${s.objectKey}` : ''}`,
    rowsLine(s),
  ];
  if (s.error) lines.push(`error: ${s.error}`);
  if (s.rejectionReasons.length > 0) lines.push(`rejected rows by reason: ${s.rejectionReasons.map((r) => `${r.reasonCode} ${r.count}`).join(', ')}`);
  for (const e of s.rowErrors.slice(0, 10)) {
    lines.push(`  row ${e.row}${e.submissionId ? ` (${e.submissionId})` : ''}: ${e.message}`);
  }
  if (s.rowErrors.length > 10) lines.push(`  ... ${s.rowErrors.length - 10} more row errors (see --json)`);
  if (s.unknownColumns.length > 0) lines.push(`ignored columns: ${s.unknownColumns.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
