/**
 * Issue #6 acceptance: live views, drift per window (no alarm on 20 drift-free windows, a 0.5 sd
 * shift of an important feature flagged within two windows), CBPE tracking realised accuracy,
 * alerts firing and resolving (subject, table, webhook with retries), /health, promtool.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSurveys } from '../../src/domain/generator/index.js';
import type { Alert } from '../../src/monitor/index.js';
import { eventually, startTestPipeline, type TestPipeline } from '../harness/pipeline.js';
import { publishJsonSurveys } from '../harness/publish.js';

const ROWS = 500;
const hasPromtool = spawnSync('promtool', ['--version']).status === 0;

describe('monitor', () => {
  let p: TestPipeline;
  let hook: Server;
  const hookBodies: Alert[] = [];
  let hookCalls = 0;
  const published: Alert[] = [];
  let cleanWindows = 0;

  const windows = (): Promise<{ n: string }[]> => p.query<{ n: string }>('SELECT count() AS n FROM {db}.monitor_windows FINAL');
  const windowCount = async (): Promise<number> => Number((await windows())[0]?.n ?? 0);

  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        hookCalls += 1;
        // The first delivery fails: the webhook must retry.
        if (hookCalls === 1) {
          res.writeHead(500).end();
          return;
        }
        hookBodies.push(JSON.parse(body) as Alert);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/alerts`;
    p = await startTestPipeline({
      'monitor.enabled': true,
      'http.port': 0,
      'worker.maxBatchRows': 500,
      'monitor.windowRows': ROWS,
      'monitor.intervalMs': 250,
      'monitor.settleMs': 300,
      'monitor.webhookUrl': hookUrl,
      'monitor.webhookBackoffMs': 50,
    });
    const sub = p.running.infra.bus.nc.subscribe('alerts.v1.*.drift', {
      callback: (_e, m) => {
        published.push(m.json<Alert>());
      },
    });
    void sub;
    const clean = [...generateSurveys({ seed: 31, count: 20 * ROWS + 200, idPrefix: 'c-' })];
    await publishJsonSurveys(p.running.infra.bus.js, clean);
    await eventually(async () => (await windowCount()) >= 20, 90_000, 250);
    cleanWindows = await windowCount();
  });
  afterAll(async () => {
    await p?.[Symbol.asyncDispose]();
    await new Promise((r) => hook?.close(r));
  });

  it('keeps the live district views current', async () => {
    const rows = await p.query<{ District: string; volume: string; valid_share: number; vulnerable_share: number; mean_probability: number; latency_ms_p50_p90_p99: number[] }>(
      'SELECT * FROM {db}.district_minutes ORDER BY window_start DESC LIMIT 10',
    );
    expect(rows.length).toBeGreaterThan(0);
    const r = rows.find((x) => x.vulnerable_share !== null)!;
    expect(r.valid_share).toBeGreaterThan(0.5);
    expect(r.mean_probability).toBeGreaterThan(0);
    expect(r.latency_ms_p50_p90_p99).toHaveLength(3);
    const [h] = await p.query<{ predictions: string }>('SELECT sum(predictions) AS predictions FROM {db}.district_hours');
    expect(Number(h!.predictions)).toBeGreaterThanOrEqual(20 * ROWS);
  });

  it('raises no drift alert on 20 drift-free windows', async () => {
    expect(cleanWindows).toBeGreaterThanOrEqual(20);
    const [d] = await p.query<{ n: string }>('SELECT countIf(drifted = 1) AS n FROM {db}.drift_metrics');
    expect(Number(d!.n)).toBe(0);
    expect(published.filter((a) => a.status === 'firing')).toEqual([]);
  });

  it('tracks realised accuracy with the CBPE estimate within 3 points', async () => {
    const rows = await p.query<{ kind: string; acc: number; rows: string }>(
      "SELECT kind, sum(accuracy * n) / sum(n) AS acc, toString(sum(n)) AS rows FROM {db}.model_performance FINAL WHERE role = 'champion' GROUP BY kind",
    );
    const acc = Object.fromEntries(rows.map((r) => [r.kind, r.acc]));
    expect(Math.abs(acc['estimated']! - acc['realised']!)).toBeLessThan(0.03);
  });

  it('flags a 0.5 sd shift of Assets within two windows, then resolves it', async () => {
    const shifted = [...generateSurveys({ seed: 32, count: 2 * ROWS, idPrefix: 'd-', drift: { shift: [{ column: 'Assets', sd: 0.5 }] } })];
    await publishJsonSurveys(p.running.infra.bus.js, shifted);
    const firing = await eventually(() => Promise.resolve(published.find((a) => a.status === 'firing' && a.labels['feature'] === 'Assets')), 60_000, 200);
    const flagged = await p.query<{ k: string }>("SELECT toString(count()) AS k FROM {db}.monitor_windows FINAL WHERE has(drifted_features, 'Assets')");
    expect(Number(flagged[0]!.k)).toBeGreaterThan(0);
    expect(await windowCount()).toBeLessThanOrEqual(cleanWindows + 2);
    expect(firing).toMatchObject({ kind: 'drift', severity: 'warning', model_version: '1.0.0' });
    expect(firing.value).toBeGreaterThan(firing.threshold);

    const back = [...generateSurveys({ seed: 33, count: 3 * ROWS, idPrefix: 'e-' })];
    await publishJsonSurveys(p.running.infra.bus.js, back);
    const resolved = await eventually(() => Promise.resolve(published.find((a) => a.id === firing.id && a.status === 'resolved')), 60_000, 200);
    expect(resolved.resolved_at).toBeDefined();
    const stored = await p.query<{ status: string }>('SELECT status FROM {db}.alerts FINAL WHERE id = {id:String}', { id: firing.id });
    expect(stored).toEqual([{ status: 'resolved' }]);
    await eventually(() => Promise.resolve(hookBodies.some((a) => a.id === firing.id && a.status === 'resolved')), 10_000);
    expect(hookBodies.some((a) => a.id === firing.id && a.status === 'firing')).toBe(true);
    expect(hookCalls).toBeGreaterThan(hookBodies.length);
  });

  it('serves the health score on /health', async () => {
    const res = await fetch(`http://127.0.0.1:${p.running.httpPort!}/health`);
    const h = (await res.json()) as { score: number; status: string; components: Record<string, number> };
    expect(h.score).toBeGreaterThan(0.7);
    expect(['Excellent', 'Good', 'Warning', 'Critical']).toContain(h.status);
    expect(Object.keys(h.components).sort()).toEqual(['data_quality', 'model_performance', 'pipeline_success', 'resources']);
  });

  if (!hasPromtool) it.skip('lints /metrics with promtool: SKIPPED, promtool is not installed (apt-get install prometheus)', () => undefined);
  it.runIf(hasPromtool)('exposes /metrics that pass promtool for the surveystream_ families', async () => {
    const url = `http://127.0.0.1:${p.running.httpPort!}/metrics`;
    // Asynchronous: the scraped endpoint lives in this process.
    const run = await promisify(execFile)('node', ['scripts/promtool-check.mjs', url], { encoding: 'utf8' });
    expect(run.stdout + run.stderr).toMatch(/surveystream_ families, promtool exit 0/);
    const body = await (await fetch(url)).text();
    expect(body).toMatch(/surveystream_jetstream_consumer_ack_pending_messages\{stream="SURVEYS",consumer="score"\}/);
    expect(body).toMatch(/surveystream_model_info\{model="vulnerability",version="1.0.0",role="champion"\} 1/);
    expect(body).toMatch(/surveystream_drift_statistic\{feature="Assets",statistic="psi"\}/);
  });
});
