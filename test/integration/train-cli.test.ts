/**
 * `surveystream train` from the user's side: from files in the upload formats (read exactly as an
 * upload reads them; rows with errors skipped and reported) and from the ClickHouse store of a
 * pipeline that ran. Each writes a model directory that onnxruntime scores.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CSV_HEADER, generateSurveys, toCsvRow } from '../../src/domain/generator/index.js';
import { readModelDir } from '../../src/score/model-dir.js';
import { Scorer } from '../../src/score/scorer.js';
import { HARNESS_ROOT } from '../harness/paths.js';
import { eventually, startTestPipeline } from '../harness/pipeline.js';
import { publishJsonSurveys } from '../harness/publish.js';
import { writeParquet, writeXlsx } from './ingest-files.js';

function train(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/surveystream.mjs', 'train', ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function scores(dir: string): Promise<number> {
  const scorer = await Scorer.create(readModelDir(dir));
  try {
    const out = await scorer.score([...generateSurveys({ seed: 77, count: 20 })].map((s) => s.values));
    return out.rows.filter((r) => r.probability >= 0 && r.probability <= 1).length;
  } finally {
    await scorer[Symbol.asyncDispose]();
  }
}

describe('surveystream train', () => {
  const dir = mkdtempSync(join(HARNESS_ROOT, 'train-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const surveys = [...generateSurveys({ seed: 71, count: 1500 })];

  it('trains from CSV (skipping and reporting a bad row), XLSX and Parquet', async () => {
    const csv = join(dir, 'surveys.csv');
    const bad = toCsvRow(surveys[0]!).replace(surveys[0]!.values['District'] as string, '');
    writeFileSync(csv, [CSV_HEADER.join(','), bad, ...surveys.slice(1).map(toCsvRow)].join('\n'));
    await writeXlsx(join(dir, 'surveys.xlsx'), surveys);
    writeParquet(join(dir, 'surveys.parquet'), surveys);
    for (const file of ['surveys.csv', 'surveys.xlsx', 'surveys.parquet']) {
      const out = join(dir, `model-${file}`);
      const r = train(['--from', join(dir, file), '--out', out, '--version', '0.0.1', '--trees', '20']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/vulnerability@0\.0\.1 \(gbdt, spec honest-v1\) trained on \d+ rows/);
      expect(await scores(out)).toBe(20);
      if (file === 'surveys.csv') expect(r.stderr).toMatch(/row 1 column District: .*\n.*1 row\(s\) with errors skipped, 1499 read/);
      else expect(r.stderr).toBe('');
    }
  }, 180_000);

  it('says what is wrong with an unreadable input', () => {
    const r = train(['--from', join(dir, 'surveys.txt')]);
    expect(r.status).toBe(2); // usage error
    expect(r.stderr).toContain('unknown file type (use .csv, .xlsx, .json, .ndjson/.jsonl or .parquet)');
  });

  it('trains from the ClickHouse store of a pipeline that ran', async () => {
    const dataDir = join(dir, 'pipeline');
    {
      await using p = await startTestPipeline({}, { dataDir });
      await publishJsonSurveys(p.running.infra.bus.js, [...generateSurveys({ seed: 72, count: 800, idPrefix: 'tc-' })]);
      await eventually(async () => {
        const [r] = await p.query<{ n: string }>('SELECT count() AS n FROM {db}.surveys FINAL');
        return Number(r?.n) >= 790;
      }, 30_000, 200);
    } // stopped: chDB allows one process per data directory
    const out = join(dir, 'model-clickhouse');
    const r = train(['--from', 'clickhouse', '--out', out, '--version', '0.0.2', '--trees', '20'], { SURVEYSTREAM_DATA_DIR: dataDir });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(out, 'model.onnx'))).toBe(true);
    expect(await scores(out)).toBe(20);
  }, 180_000);
});
