/**
 * Issue #5: UploadFile over TLS with a device token. Each format carries the same 1,000 generated
 * surveys into ClickHouse (ids prefixed per format, so JetStream does not deduplicate one file
 * against another); per-row errors skip only their rows; GetIngestionStatus follows every stage.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestionState, type IngestionStatus } from '../../src/gen/surveystream/v1/ingest.js';
import { uploadFile } from '../../src/client/upload.js';
import { CSV_HEADER, toCsvRow } from '../../src/domain/generator/index.js';
import { HARNESS_ROOT } from '../harness/paths.js';
import { eventually } from '../harness/pipeline.js';
import { writeCsv, writeJsonArray, writeNdjson, writeParquet, writeXlsx } from './ingest-files.js';
import { generated, startSecurePipeline, type SecurePipeline } from './ingest-harness.js';

const FORMATS = {
  csv: writeCsv,
  xlsx: writeXlsx,
  json: writeJsonArray,
  ndjson: writeNdjson,
  parquet: writeParquet,
} as const;

async function settled(s: SecurePipeline, id: string): Promise<IngestionStatus> {
  return eventually(async () => {
    const st = await s.ingest.status(id);
    return st.state !== IngestionState.INGESTION_STATE_RUNNING ? st : undefined;
  }, 30_000, 200);
}

describe('UploadFile', () => {
  let s: SecurePipeline;
  let dir: string;

  beforeAll(async () => {
    s = await startSecurePipeline({ overrides: { 'monitor.enabled': 'false' } });
    dir = mkdtempSync(join(HARNESS_ROOT, 'files-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await s?.[Symbol.asyncDispose]();
  });

  it('carries the same 1,000 surveys into ClickHouse from CSV, XLSX, JSON, NDJSON and Parquet', async () => {
    const ids: Record<string, string> = {};
    for (const [format, write] of Object.entries(FORMATS)) {
      const path = join(dir, `surveys.${format}`);
      await write(path, generated(21, 1000, `up-${format}-`));
      const seen: string[] = [];
      const res = await uploadFile(s.ingest, { path, onIngestionId: (id) => seen.push(id), metadata: { batch: format } });
      expect(seen).toEqual([res.ingestionId]);
      expect(res.status).toMatchObject({ state: IngestionState.INGESTION_STATE_RUNNING, rowsReceived: 1000, rowsRejected: 0 });
      expect(res.status.objectKey).toBe(`uploads/${res.ingestionId}/surveys.${format}`);
      ids[format] = res.ingestionId;
    }
    for (const [format, id] of Object.entries(ids)) {
      const st = await settled(s, id);
      expect(st, format).toMatchObject({ state: IngestionState.INGESTION_STATE_COMPLETE, rowsReceived: 1000, rowsPublished: 1000, rowsStored: 1000, rowsDeadLettered: 0 });
      expect(st.metadata).toEqual({ batch: format });
    }
    // The same surveys, whatever the format: compare content aggregates per format.
    const rows = await s.p.query<Record<string, string | number>>(
      `SELECT splitByChar('-', submission_id)[2] AS format, count() AS n, sum(HouseholdSize) AS size,
              round(sum(AgricultureLand), 4) AS land, round(sum(\`HHIncome+Consumption+Residues/Day\`), 4) AS target,
              uniqExact(household_key) AS households, countIf(Loan_from IS NOT NULL) AS loans, sum(phones_owned) AS phones,
              groupUniqArray(District) AS districts, uniqExact(survey_date) AS dates, any(ingestion_id) != '' AS tagged
       FROM {db}.surveys FINAL WHERE startsWith(submission_id, 'up-') GROUP BY format ORDER BY format`,
    );
    expect(rows.map((r) => r['format'])).toEqual(['csv', 'json', 'ndjson', 'parquet', 'xlsx']);
    const { format: _f, ...first } = rows[0]!;
    expect(Number(first['n'])).toBe(1000);
    for (const row of rows) {
      const { format, ...rest } = row;
      expect({ format, ...rest }).toEqual({ format, ...first, districts: expect.arrayContaining(first['districts'] as unknown as string[]) as unknown });
    }
  });

  it('skips rows with errors, reports them, and stores the rest (PARTIAL)', async () => {
    const surveys = generated(22, 10, 'up-rows-');
    const lines = surveys.map(toCsvRow);
    const col = (name: string): number => CSV_HEADER.indexOf(name);
    const edit = (row: number, column: string, value: string): void => {
      const cellsOf = lines[row]!.split(',');
      cellsOf[col(column)] = value;
      lines[row] = cellsOf.join(',');
    };
    edit(2, 'HouseholdSize', 'abc');
    edit(4, 'District', '');
    edit(6, 'submission_id', 'bad id');
    const path = join(dir, 'rows.csv');
    writeFileSync(path, [CSV_HEADER.join(','), ...lines].join('\n'));
    const res = await uploadFile(s.ingest, { path });
    expect(res.status).toMatchObject({ rowsReceived: 10, rowsRejected: 3 });
    const st = await settled(s, res.ingestionId);
    expect(st).toMatchObject({ state: IngestionState.INGESTION_STATE_PARTIAL, rowsPublished: 7, rowsStored: 7, rowsRejected: 3 });
    expect(st.rowErrors.map((e) => [e.row, e.column, e.reasonCode])).toEqual([
      [3, 'HouseholdSize', 'row.type'],
      [5, 'District', 'row.required'],
      [7, 'submission_id', 'row.submission_id'],
    ]);
    expect(st.rejectionReasons.map((r) => r.reasonCode).sort()).toEqual(['row.required', 'row.submission_id', 'row.type']);
  });

  it('accepts aliases and proto names, derives ids for rows without one, and deduplicates a re-upload', async () => {
    const surveys = generated(23, 5, 'unused-');
    const header = CSV_HEADER.filter((c) => c !== 'submission_id').map((c) =>
      c === 'Season2VegatableIncome' ? 'Season2VegetableIncome' : c === 'HouseholdSize' ? 'household_size' : c,
    );
    const idCol = CSV_HEADER.indexOf('submission_id');
    const body = surveys.map((x) => toCsvRow(x).split(',').filter((_, i) => i !== idCol).join(','));
    const path = join(dir, 'aliases.csv');
    writeFileSync(path, [header.join(','), ...body].join('\n'));
    const first = await uploadFile(s.ingest, { path });
    const st = await settled(s, first.ingestionId);
    expect(st).toMatchObject({ state: IngestionState.INGESTION_STATE_COMPLETE, rowsStored: 5 });
    const again = await uploadFile(s.ingest, { path });
    const st2 = await settled(s, again.ingestionId);
    expect(st2).toMatchObject({ rowsPublished: 0, rowsDuplicate: 5, state: IngestionState.INGESTION_STATE_COMPLETE });
    const [row] = await s.p.query<{ n: string }>('SELECT count() AS n FROM {db}.surveys FINAL WHERE startsWith(submission_id, {p:String})', {
      p: `${st.sha256.slice(0, 16)}-`,
    });
    expect(Number(row?.n)).toBe(5);
  });
});
