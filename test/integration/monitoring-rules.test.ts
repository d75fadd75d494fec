/**
 * The monitor's alert rules, end to end: a dead-letter rate above its threshold, low data quality,
 * a failed file upload, a champion whose realised F1 falls below its card's, and a consumer that
 * lags and makes no progress (no worker running), each firing on `alerts.v1.<severity>.<kind>` and
 * stored in `alerts`. (Drift alerts: monitoring.test.ts.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NatsConnection } from '@nats-io/transport-node';
import { startRoles } from '../../src/cli/serve.js';
import { connectIngest } from '../../src/client/ingest-client.js';
import { uploadFile } from '../../src/client/upload.js';
import { TARGET_COLUMN, type SurveyValues } from '../../src/domain/fields.js';
import { CSV_HEADER, generateSurveys, toCsvRow } from '../../src/domain/generator/index.js';
import { LABEL_THRESHOLDS } from '../../src/domain/labels.js';
import { writeModelDir } from '../../src/score/model-dir.js';
import { trainModel } from '../../src/train/train-model.js';
import { EXPECTED_FIELDS } from '../../src/validate/tables.js';
import { eventually, startTestPipeline } from '../harness/pipeline.js';
import { HARNESS_ROOT } from '../harness/paths.js';
import { publishJsonSurveys } from '../harness/publish.js';

interface Alert {
  id: string;
  kind: string;
  severity: string;
  status: string;
  value: number;
  threshold: number;
  labels: Record<string, string>;
}

function collect(nc: NatsConnection, subject: string): Alert[] {
  const seen: Alert[] = [];
  nc.subscribe(subject, { callback: (_e, m) => void seen.push(m.json<Alert>()) });
  return seen;
}

describe('monitor alert rules', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('fires dlq_rate when too many surveys are dead-lettered', async () => {
    await using p = await startTestPipeline({ 'monitor.enabled': true, 'monitor.intervalMs': 250, 'monitor.maxDlqRate': 0.1 });
    const alerts = collect(p.running.infra.bus.nc, 'alerts.v1.error.dlq_rate');
    const surveys = [...generateSurveys({ seed: 41, count: 300, idPrefix: 'dq-', errors: { rate: 0.4, kinds: ['missing_required', 'bad_district'] } })];
    await publishJsonSurveys(p.running.infra.bus.js, surveys);
    const firing = await eventually(async () => Promise.resolve(alerts.find((a) => a.status === 'firing')), 30_000);
    // It fires on the first evaluation over the threshold, which may see only part of the batch.
    expect(firing.value).toBeGreaterThan(0.1);
    expect(firing.threshold).toBe(0.1);
    const stored = await eventually(async () => {
      const rows = await p.query<{ kind: string; status: string; value: number }>("SELECT kind, status, value FROM {db}.alerts FINAL WHERE kind = 'dlq_rate'");
      return rows.length > 0 ? rows : undefined;
    });
    expect(stored[0]!.status).toBe('firing');
    expect(stored[0]!.value).toBeGreaterThan(0.1);
  });

  it('fires data_quality when accepted surveys leave most expected fields blank', async () => {
    await using p = await startTestPipeline({ 'monitor.enabled': true, 'monitor.intervalMs': 250 });
    const alerts = collect(p.running.infra.bus.nc, 'alerts.v1.warning.data_quality');
    // Blank optional answers are valid, but they lower completeness and so the quality score.
    const surveys = [...generateSurveys({ seed: 43, count: 200, idPrefix: 'lq-' })].map((g) => {
      const values = { ...g.values };
      EXPECTED_FIELDS.forEach((f, i) => {
        if (i % 3 !== 0) values[f] = null;
      });
      return { ...g, values };
    });
    await publishJsonSurveys(p.running.infra.bus.js, surveys);
    const firing = await eventually(async () => Promise.resolve(alerts.find((a) => a.status === 'firing')), 30_000);
    expect(firing.value).toBeLessThan(0.5);
    expect(firing.threshold).toBe(0.8);
    const [stored] = await p.query<{ n: string }>("SELECT count() AS n FROM {db}.surveys FINAL WHERE startsWith(submission_id, 'lq-')");
    expect(Number(stored!.n)).toBe(200); // low quality is stored and scored, not rejected
  });

  it('fires ingestion_errors when a file upload fails', async () => {
    await using p = await startTestPipeline({ 'monitor.enabled': true, 'monitor.intervalMs': 250 });
    const alerts = collect(p.running.infra.bus.nc, 'alerts.v1.error.ingestion_errors');
    const dir = mkdtempSync(join(HARNESS_ROOT, 'bad-upload-'));
    dirs.push(dir);
    const path = join(dir, 'no-district.csv');
    const header = CSV_HEADER.map((c) => (c === 'District' ? 'region' : c));
    writeFileSync(path, [header.join(','), ...[...generateSurveys({ seed: 44, count: 5 })].map(toCsvRow)].join('\n'));
    const client = connectIngest({ target: `127.0.0.1:${p.running.grpcPort!}` });
    try {
      await expect(uploadFile(client, { path })).rejects.toMatchObject({ details: expect.stringMatching(/missing District/) as string });
    } finally {
      client[Symbol.dispose]();
    }
    const firing = await eventually(async () => Promise.resolve(alerts.find((a) => a.status === 'firing')), 30_000);
    expect(firing.value).toBe(1);
    const stored = await eventually(async () => {
      const rows = await p.query<{ status: string }>("SELECT status FROM {db}.alerts FINAL WHERE kind = 'ingestion_errors'");
      return rows.length > 0 ? rows : undefined;
    });
    expect(stored[0]!.status).toBe('firing');
  });

  it('fires performance when the champion realised F1 falls below its card', async () => {
    // A champion trained on inverted labels: its card reports a good F1 (on inverted data), but on
    // real surveys it gets almost every label wrong.
    const modelDir = mkdtempSync(join(HARNESS_ROOT, 'inverted-model-'));
    dirs.push(modelDir);
    const inverted = [...generateSurveys({ seed: 45, count: 2000 })].map((g) => {
      const t = g.values[TARGET_COLUMN];
      const values: SurveyValues = { ...g.values, [TARGET_COLUMN]: typeof t === 'number' ? (t < LABEL_THRESHOLDS.atRisk ? 3 : 1) : null };
      return { values, date: g.meta.surveyDate ?? null };
    });
    const model = trainModel(inverted, { name: 'vulnerability', version: '0.0.1-inverted', algo: 'gbdt', gbdt: { nEstimators: 30, maxDepth: 3 } });
    expect(model.card.metrics.f1).toBeGreaterThan(0.6);
    writeModelDir(modelDir, model);
    await using p = await startTestPipeline({ 'model.path': modelDir, 'monitor.enabled': true, 'monitor.intervalMs': 250, 'monitor.windowRows': 300, 'monitor.settleMs': 300 });
    const alerts = collect(p.running.infra.bus.nc, 'alerts.v1.error.performance');
    await publishJsonSurveys(p.running.infra.bus.js, [...generateSurveys({ seed: 46, count: 600, idPrefix: 'pf-' })]);
    const firing = await eventually(async () => Promise.resolve(alerts.find((a) => a.status === 'firing')), 30_000);
    expect(firing.value).toBeLessThan(0.3);
    expect(firing.threshold).toBeCloseTo((model.card.metrics.f1 ?? Number.NaN) - 0.1, 6);
    expect(firing).toMatchObject({ labels: { model_version: '0.0.1-inverted', role: 'champion' } });
  });

  it('fires consumer_lag and consumer_stalled when no worker drains the stream', async () => {
    const dataDir = mkdtempSync(join(HARNESS_ROOT, 'stall-'));
    dirs.push(dataDir);
    // Only the monitor runs: surveys pile up on the `score` consumer and nothing acks them.
    await using running = await startRoles('monitor', {
      dataDir,
      'http.port': -1,
      'log.level': 'silent',
      'monitor.intervalMs': 200,
      'monitor.stallMs': 1500,
      'monitor.maxPending': 20,
    });
    const { nc, js } = running.infra.bus;
    const lag = collect(nc, 'alerts.v1.warning.consumer_lag');
    const stalled = collect(nc, 'alerts.v1.critical.consumer_stalled');
    await publishJsonSurveys(js, [...generateSurveys({ seed: 42, count: 60, idPrefix: 'st-' })]);
    const lagging = await eventually(async () => Promise.resolve(lag.find((a) => a.status === 'firing')), 20_000);
    expect(lagging.value).toBe(60);
    const stall = await eventually(async () => Promise.resolve(stalled.find((a) => a.status === 'firing')), 20_000);
    expect(stall.value).toBeGreaterThanOrEqual(1.5);
  });
});
