/**
 * The monitor's operational alert rules, end to end: a dead-letter rate above its threshold, and a
 * consumer that lags and makes no progress (no worker running), each firing on
 * `alerts.v1.<severity>.<kind>` and stored in `alerts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NatsConnection } from '@nats-io/transport-node';
import { startRoles } from '../../src/cli/serve.js';
import { generateSurveys } from '../../src/domain/generator/index.js';
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
    expect(firing.value).toBeGreaterThan(0.3);
    expect(firing.threshold).toBe(0.1);
    const stored = await eventually(async () => {
      const rows = await p.query<{ kind: string; status: string }>("SELECT kind, status FROM {db}.alerts FINAL WHERE kind = 'dlq_rate'");
      return rows.length > 0 ? rows : undefined;
    });
    expect(stored[0]!.status).toBe('firing');
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
