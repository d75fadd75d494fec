import { describe, expect, it } from 'vitest';
import { FileFormat, IngestionState } from '../../../src/gen/surveystream/v1/ingest.js';
import { checkDeclaredSize, checkHeader, newIngestionId } from '../../../src/upload/header.js';
import { formatFromName, resolveFormat } from '../../../src/upload/formats.js';
import { safeFileName } from '../../../src/upload/object-sink.js';
import { deriveState, interruptedError, isInterrupted } from '../../../src/upload/status.js';

describe('ingestion state', () => {
  const down = (stored: number, deadLettered: number) => ({ stored, deadLettered, scored: 0 });

  it('is RUNNING until every published row is stored or dead-lettered', () => {
    expect(deriveState({ phase: 'receiving', rows_rejected: 0, rows_published: 0 }, down(0, 0))).toBe(IngestionState.INGESTION_STATE_RUNNING);
    expect(deriveState({ phase: 'publishing', rows_rejected: 0, rows_published: 10 }, down(10, 0))).toBe(IngestionState.INGESTION_STATE_RUNNING);
    expect(deriveState({ phase: 'published', rows_rejected: 0, rows_published: 10 }, down(9, 0))).toBe(IngestionState.INGESTION_STATE_RUNNING);
  });

  it('is COMPLETE, PARTIAL or FAILED once settled', () => {
    expect(deriveState({ phase: 'published', rows_rejected: 0, rows_published: 10 }, down(10, 0))).toBe(IngestionState.INGESTION_STATE_COMPLETE);
    expect(deriveState({ phase: 'published', rows_rejected: 0, rows_published: 10 }, down(9, 1))).toBe(IngestionState.INGESTION_STATE_PARTIAL);
    expect(deriveState({ phase: 'published', rows_rejected: 2, rows_published: 8 }, down(8, 0))).toBe(IngestionState.INGESTION_STATE_PARTIAL);
    expect(deriveState({ phase: 'failed', rows_rejected: 0, rows_published: 0 }, down(0, 0))).toBe(IngestionState.INGESTION_STATE_FAILED);
  });
});

describe('upload header', () => {
  it('infers the format from the name, or takes the given one', () => {
    expect(formatFromName('a.JSONL')).toBe('ndjson');
    expect(formatFromName('a.pq')).toBe('parquet');
    expect(formatFromName('noext')).toBeUndefined();
    expect(resolveFormat(FileFormat.FILE_FORMAT_XLSX, 'data.bin')).toBe('xlsx');
    expect(() => resolveFormat(FileFormat.FILE_FORMAT_UNSPECIFIED, 'data.bin')).toThrow(/cannot tell the format/);
  });

  it('checks the file name, metadata and announced size', () => {
    const info = checkHeader({ fileName: '../../etc/pass wd.csv', format: 0, metadata: { device_id: 'D1' }, sizeBytes: 500 });
    expect(info).toMatchObject({ format: 'csv', safeName: 'pass wd.csv', metadata: { device_id: 'D1' } });
    expect(() => checkDeclaredSize(info, 499)).toThrow(/larger than the limit of 499 bytes/);
    expect(() => checkHeader(undefined)).toThrow(/first UploadFile message must carry the header/);
    expect(() => checkHeader({ fileName: ' ', format: 0, metadata: {} })).toThrow(/file_name/);
    expect(() => checkHeader({ fileName: 'a.csv', format: 0, metadata: { 'bad key': 'x' } })).toThrow(/metadata key/);
  });

  it('makes safe file names and sortable ingestion ids', () => {
    expect(safeFileName('C:\\data\\.~hidden.csv')).toBe('_hidden.csv');
    expect(safeFileName('')).toBe('upload');
    expect(newIngestionId(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toMatch(/^ing-20260102030405-[0-9a-f]{10}$/);
  });
});

describe('interrupted ingestions', () => {
  const at = 1_000_000;
  it('are running rows not saved for longer than the stale limit', () => {
    expect(isInterrupted({ phase: 'receiving', updated_at: at - 1001 }, 1000, at)).toBe(true);
    expect(isInterrupted({ phase: 'publishing', updated_at: at - 1001 }, 1000, at)).toBe(true);
    expect(isInterrupted({ phase: 'publishing', updated_at: at - 1000 }, 1000, at)).toBe(false);
    expect(isInterrupted({ phase: 'published', updated_at: 0 }, 1000, at)).toBe(false);
    expect(isInterrupted({ phase: 'failed', updated_at: 0 }, 1000, at)).toBe(false);
  });
  it('say where they stopped and what to do', () => {
    expect(interruptedError({ phase: 'receiving', updated_at: Date.UTC(2026, 0, 1) })).toMatch(
      /^interrupted while receiving or checking the file: no progress since 2026-01-01T00:00:00.000Z .* upload the file again/,
    );
  });
});
