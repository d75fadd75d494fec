/**
 * GetIngestionStatus: the ingestion's own counts (rows received, rejected at upload, published)
 * plus what the worker made of the published rows, and a state:
 * FAILED (file-level error, nothing published; or interrupted: its gateway stopped saving the row
 * while receiving or publishing), RUNNING (receiving, publishing, or published rows not yet all
 * stored or dead-lettered), COMPLETE (every row stored), PARTIAL (every row settled, some rejected
 * at upload or dead-lettered).
 */
import { IngestionState, type IngestionStatus } from '../gen/surveystream/v1/ingest.js';
import { PipelineError } from '../errors.js';
import { formatToProto } from './formats.js';
import type { DownstreamCounts, IngestionRepo, IngestionRow } from './ingestion-repo.js';

/** Row errors returned with a status. */
export const STATUS_ROW_ERRORS = 100;

const NONE: DownstreamCounts = { stored: 0, deadLettered: 0, scored: 0 };

/** A gateway saves a running upload's row every heartbeat; a row this much older was abandoned. */
export function isInterrupted(row: Pick<IngestionRow, 'phase' | 'updated_at'>, staleAfterMs: number, now = Date.now()): boolean {
  return (row.phase === 'receiving' || row.phase === 'publishing') && now - row.updated_at > staleAfterMs;
}

/** The error of an interrupted ingestion. */
export function interruptedError(row: Pick<IngestionRow, 'phase' | 'updated_at'>): string {
  const what = row.phase === 'receiving' ? 'receiving or checking the file' : 'publishing its rows';
  return `interrupted while ${what}: no progress since ${new Date(row.updated_at).toISOString()} (the gateway handling it stopped); rows already published are kept; upload the file again to finish (resent rows are deduplicated)`;
}

/** The state of an ingestion from its phase and downstream counts. */
export function deriveState(row: Pick<IngestionRow, 'phase' | 'rows_rejected' | 'rows_published'>, down: DownstreamCounts): IngestionState {
  switch (row.phase) {
    case 'failed':
      return IngestionState.INGESTION_STATE_FAILED;
    case 'receiving':
    case 'publishing':
      return IngestionState.INGESTION_STATE_RUNNING;
    case 'published':
      if (down.stored + down.deadLettered < row.rows_published) return IngestionState.INGESTION_STATE_RUNNING;
      return row.rows_rejected > 0 || down.deadLettered > 0
        ? IngestionState.INGESTION_STATE_PARTIAL
        : IngestionState.INGESTION_STATE_COMPLETE;
  }
}

/** The status message of a row (downstream counts and row errors given). */
export function toStatus(row: IngestionRow, down: DownstreamCounts, errors: IngestionStatus['rowErrors']): IngestionStatus {
  return {
    ingestionId: row.ingestion_id,
    state: deriveState(row, down),
    fileName: row.file_name,
    format: formatToProto(row.format),
    bytesReceived: row.bytes_received,
    rowsReceived: row.rows_received,
    rowsRejected: row.rows_rejected,
    rowsPublished: row.rows_published,
    rowsDuplicate: row.rows_duplicate,
    rowsStored: down.stored,
    rowsDeadLettered: down.deadLettered,
    rowsScored: down.scored,
    rejectionReasons: Object.entries(row.rejection_reasons)
      .map(([reasonCode, count]) => ({ reasonCode, count }))
      .sort((a, b) => b.count - a.count),
    rowErrors: errors,
    error: row.error,
    objectKey: row.object_key,
    unknownColumns: row.unknown_columns,
    metadata: row.metadata,
    sha256: row.sha256,
    createdAtMs: row.created_at,
    updatedAtMs: row.updated_at,
    uploadedBy: row.uploaded_by,
  };
}

/**
 * Reads an ingestion's status; NOT_FOUND when the id is unknown. A running ingestion whose row is
 * older than `staleAfterMs` is reported FAILED (interrupted), whether or not a sweep recorded it.
 */
export async function readIngestionStatus(repo: IngestionRepo, id: string, staleAfterMs: number): Promise<IngestionStatus> {
  const latest = await repo.latest(id);
  if (!latest) throw new PipelineError('NOT_FOUND', `no ingestion ${id}`, false, { details: { field: 'ingestion_id' } });
  const row = isInterrupted(latest, staleAfterMs) ? { ...latest, phase: 'failed' as const, error: interruptedError(latest) } : latest;
  const [down, errors] = await Promise.all([
    row.phase === 'receiving' || row.rows_published === 0 ? NONE : repo.downstream(id), // a failed upload may have published rows
    repo.rowErrors(id, STATUS_ROW_ERRORS),
  ]);
  return toStatus(row, down, errors);
}
