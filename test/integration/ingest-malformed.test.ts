/**
 * Issue #5: files that must be refused as a whole get a clear error (status code, message,
 * `x-detail-reason`, `x-detail-ingestion-id`), end FAILED, and never half-store: no row reaches
 * JetStream and no original is kept in the object store.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestionState } from '../../src/gen/surveystream/v1/ingest.js';
import { uploadFile } from '../../src/client/upload.js';
import { CSV_HEADER, toCsvRow } from '../../src/domain/generator/index.js';
import { HARNESS_ROOT } from '../harness/paths.js';
import { writeCsv, writeJsonArray, writeParquet, writeXlsx, writeZipBomb } from './ingest-files.js';
import { detail, generated, grpcError, startSecurePipeline, status, storedCount, type SecurePipeline } from './ingest-harness.js';

const MAX_BYTES = 300_000;
const MAX_ROWS = 500;

describe('UploadFile refuses malformed files whole', () => {
  let s: SecurePipeline;
  let dir: string;

  beforeAll(async () => {
    s = await startSecurePipeline({
      overrides: { 'monitor.enabled': 'false', 'grpc.maxUploadBytes': MAX_BYTES, 'grpc.maxUploadRows': MAX_ROWS },
    });
    dir = mkdtempSync(join(HARNESS_ROOT, 'bad-files-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await s?.[Symbol.asyncDispose]();
  });

  /** Uploads a file that must fail; checks the error, the FAILED status and that nothing was kept. */
  async function refused(path: string, code: status, reason: string, prefix: string, declareSize = true): Promise<string> {
    const { jsm } = s.p.running.infra.bus;
    const before = (await jsm.streams.info('SURVEYS')).state.messages;
    const err = await grpcError(uploadFile(s.ingest, { path, declareSize }));
    expect(err.code, err.details).toBe(code);
    expect(detail(err, 'x-detail-reason')).toBe(reason);
    const id = detail(err, 'x-detail-ingestion-id');
    expect(id).toMatch(/^ing-/);
    const st = await s.ingest.status(id!);
    expect(st.state).toBe(IngestionState.INGESTION_STATE_FAILED);
    expect(st.error).toBe(err.details);
    expect(st.rowsPublished).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect((await jsm.streams.info('SURVEYS')).state.messages).toBe(before);
    expect(await storedCount(s.p, prefix)).toBe(0);
    expect(existsSync(join(s.p.dataDir, 'objects', 'uploads', id!))).toBe(false);
    return err.details;
  }

  it('refuses a file without the District / HouseholdSize / HouseHoldID columns', async () => {
    const path = join(dir, 'wrong-columns.csv');
    const header = CSV_HEADER.map((c) => (c === 'District' ? 'district_name' : c === 'HouseHoldID' ? 'household' : c));
    writeFileSync(path, [header.join(','), ...generated(31, 20, 'bad-cols-').map(toCsvRow)].join('\n'));
    const message = await refused(path, status.INVALID_ARGUMENT, 'columns', 'bad-cols-');
    expect(message).toContain('missing District, HouseHoldID');
  });

  it('refuses a JSON file whose objects never have the required keys', async () => {
    const path = join(dir, 'wrong-keys.ndjson');
    writeFileSync(path, '{"submission_id":"bad-keys-1","district":"Kanungu"}\n{"submission_id":"bad-keys-2"}\n');
    await refused(path, status.INVALID_ARGUMENT, 'columns', 'bad-keys-');
  });

  it('refuses a file that is not valid UTF-8, even when the bad byte is deep inside', async () => {
    const path = join(dir, 'latin1.csv');
    writeCsv(path, generated(32, 200, 'bad-utf8-'));
    const bytes = readFileSync(path);
    const at = bytes.lastIndexOf(Buffer.from('Kanungu'));
    bytes[at + 1] = 0xe9; // a Latin-1 "é" alone
    writeFileSync(path, bytes);
    const message = await refused(path, status.INVALID_ARGUMENT, 'utf8', 'bad-utf8-');
    expect(message).toContain('not valid UTF-8');
  });

  it('refuses a truncated XLSX', async () => {
    const path = join(dir, 'cut.xlsx');
    await writeXlsx(path, generated(33, 100, 'bad-xlsx-'));
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await refused(path, status.INVALID_ARGUMENT, 'xlsx', 'bad-xlsx-');
  });

  it('refuses a truncated Parquet file', async () => {
    const path = join(dir, 'cut.parquet');
    writeParquet(path, generated(34, 100, 'bad-pq-'), 25);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 200));
    await refused(path, status.INVALID_ARGUMENT, 'parquet', 'bad-pq-');
  });

  it('refuses a decompression-bomb XLSX before parsing it', async () => {
    const path = join(dir, 'bomb.xlsx');
    writeZipBomb(path, 48);
    expect(readFileSync(path).length).toBeLessThan(MAX_BYTES);
    const message = await refused(path, status.RESOURCE_EXHAUSTED, 'zip_bomb', 'bad-bomb-');
    expect(message).toMatch(/decompression bomb/);
  });

  it('refuses a file over the size limit', async () => {
    const path = join(dir, 'big.csv');
    writeCsv(path, generated(35, 1000, 'bad-big-'));
    expect(readFileSync(path).length).toBeGreaterThan(MAX_BYTES);
    const message = await refused(path, status.RESOURCE_EXHAUSTED, 'too_large', 'bad-big-');
    expect(message).toContain(String(MAX_BYTES));
    // A client that does not announce the size is stopped while it sends.
    const streamed = await refused(path, status.RESOURCE_EXHAUSTED, 'too_large', 'bad-big-', false);
    expect(streamed).toContain(String(MAX_BYTES));
  });

  it('refuses a file with more rows than allowed', async () => {
    const path = join(dir, 'many.ndjson');
    writeFileSync(path, `${Array.from({ length: MAX_ROWS + 1 }, (_, i) => `{"submission_id":"bad-rows-${i}","District":"Kanungu","HouseHoldID":"H${i}","HouseholdSize":3}`).join('\n')}\n`);
    await refused(path, status.RESOURCE_EXHAUSTED, 'too_many_rows', 'bad-rows-');
  });

  it('refuses broken CSV quoting and a JSON file that is not an array', async () => {
    const csv = join(dir, 'quotes.csv');
    writeFileSync(csv, `${CSV_HEADER.join(',')}\n${toCsvRow(generated(36, 1, 'bad-quote-')[0]!)}\n"unterminated,1,2\n`);
    await refused(csv, status.INVALID_ARGUMENT, 'csv', 'bad-quote-');
    const json = join(dir, 'object.json');
    writeJsonArray(json, generated(37, 3, 'bad-json-'));
    writeFileSync(json, `{"surveys": ${readFileSync(json, 'utf8')}}`);
    await refused(json, status.INVALID_ARGUMENT, 'json', 'bad-json-');
  });

  it('refuses an empty file and an unknown format without storing anything', async () => {
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    await refused(empty, status.INVALID_ARGUMENT, 'empty', 'none-');
    const unknown = join(dir, 'surveys.txt');
    writeFileSync(unknown, 'x');
    const err = await grpcError(uploadFile(s.ingest, { path: unknown }));
    expect(err.code).toBe(status.INVALID_ARGUMENT);
    expect(detail(err, 'x-detail-reason')).toBe('format');
  });
});
