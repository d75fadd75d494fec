import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CSV_HEADER, toCsvRow, toNdjsonLine } from '../../../src/domain/generator/index.js';
import { checkFile, scanRows, type ScanContext } from '../../../src/upload/scan.js';
import type { UploadFormat } from '../../../src/upload/formats.js';
import { writeCsv, writeJsonArray, writeNdjson, writeParquet, writeXlsx, writeZip, writeZipBomb } from '../../integration/ingest-files.js';
import { generated } from '../../integration/ingest-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'surveystream-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const limits = { maxBytes: 1e9, maxRows: 10_000, maxInflatedBytes: 64 * 1024 * 1024, maxZipRatio: 100 };
const ctx = (format: UploadFormat, path: string, over: Partial<typeof limits> = {}): ScanContext => ({
  format,
  path,
  limits: { ...limits, ...over },
  defaults: { idPrefix: 'f00d', deviceId: 'upload', fieldOfficerId: '' },
});

async function records(c: ScanContext): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const r of scanRows(c, { unknownColumns: [] })) if (r.ok) out.push(r.record);
  return out;
}

describe('upload scan', () => {
  const surveys = generated(71, 40, 'scan-');

  it('reads the same records from every format', async () => {
    const writers = { csv: writeCsv, json: writeJsonArray, ndjson: writeNdjson, parquet: (p: string, s: typeof surveys) => writeParquet(p, s, 7), xlsx: writeXlsx };
    const results: Record<string, unknown[]> = {};
    for (const [format, write] of Object.entries(writers)) {
      const path = join(dir, `all.${format}`);
      await write(path, surveys);
      results[format] = await records(ctx(format as UploadFormat, path));
    }
    expect(results['csv']).toHaveLength(40);
    for (const format of ['json', 'ndjson', 'parquet', 'xlsx']) expect(results[format], format).toEqual(results['csv']);
  });

  it('counts rows and row errors in the checking pass, and lists unknown columns', async () => {
    const path = join(dir, 'errors.csv');
    const lines = surveys.slice(0, 5).map(toCsvRow);
    lines[1] = lines[1]!.replace(/,Kanungu,|,Mitooma,|,Rubanda,|,Rukungiri,/, ',,');
    lines.push('only,three,cells');
    writeFileSync(path, [[...CSV_HEADER, 'Remarks'].join(','), ...lines.map((l, i) => (i < 5 ? `${l},note` : l))].join('\n'));
    const report = await checkFile(ctx('csv', path));
    expect(report).toMatchObject({ rowsReceived: 6, rowsValid: 4, rowsRejected: 2, reasons: { 'row.required': 1, 'row.columns': 1 }, unknownColumns: ['Remarks'] });
    expect(report.errors.map((e) => e.row)).toEqual([2, 6]);
  });

  it('keeps going after an NDJSON line that is not JSON', async () => {
    const path = join(dir, 'lines.ndjson');
    writeFileSync(path, `\uFEFF${toNdjsonLine(surveys[0]!)}\n{oops\n\n${toNdjsonLine(surveys[1]!)}\n`);
    const report = await checkFile(ctx('ndjson', path));
    expect(report).toMatchObject({ rowsReceived: 3, rowsRejected: 1, reasons: { 'row.json': 1 } });
  });

  it('refuses files with the row limit, empty files and truncated binaries', async () => {
    const csv = join(dir, 'limit.csv');
    writeCsv(csv, surveys);
    await expect(checkFile(ctx('csv', csv, { maxRows: 39 }))).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED', details: { reason: 'too_many_rows' } });
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '[]');
    await expect(checkFile(ctx('json', empty))).rejects.toMatchObject({ details: { reason: 'empty' } });
    const pq = join(dir, 'cut.parquet');
    writeParquet(pq, surveys);
    writeFileSync(pq, readFileSync(pq).subarray(0, 500));
    await expect(checkFile(ctx('parquet', pq))).rejects.toMatchObject({ details: { reason: 'parquet' } });
  });

  it('refuses decompression bombs, encrypted-looking or partial workbooks before parsing', async () => {
    const bomb = join(dir, 'bomb.xlsx');
    writeZipBomb(bomb, 8);
    await expect(checkFile(ctx('xlsx', bomb))).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED', details: { reason: 'zip_bomb' } });
    await expect(checkFile(ctx('xlsx', bomb, { maxZipRatio: 100_000, maxInflatedBytes: 1024 * 1024 }))).rejects.toMatchObject({ details: { reason: 'zip_bomb' } });
    const notBook = join(dir, 'plain.xlsx');
    writeZip(notBook, [{ name: 'readme.txt', data: Buffer.from('hello') }]);
    await expect(checkFile(ctx('xlsx', notBook))).rejects.toMatchObject({ details: { reason: 'xlsx' } });
    const garbage = join(dir, 'garbage.xlsx');
    writeFileSync(garbage, 'this is not a zip');
    await expect(checkFile(ctx('xlsx', garbage))).rejects.toMatchObject({ details: { reason: 'xlsx' } });
  });
});
