/** Time windows: the monitor closes one window per `windowSeconds` of ingest time and evaluates it. */
import { describe, expect, it } from 'vitest';
import { generateSurveys } from '../../src/domain/generator/index.js';
import { eventually, startTestPipeline } from '../harness/pipeline.js';
import { publishJsonSurveys } from '../harness/publish.js';

describe('monitor with time windows', () => {
  it('evaluates each closed time window once, with drift and performance rows', async () => {
    await using p = await startTestPipeline({
      'monitor.enabled': true,
      'monitor.windowKind': 'time',
      'monitor.windowSeconds': 2,
      'monitor.intervalMs': 250,
      'monitor.settleMs': 300,
    });
    const { js } = p.running.infra.bus;
    await publishJsonSurveys(js, [...generateSurveys({ seed: 51, count: 600, idPrefix: 'tw1-' })]);
    await new Promise((r) => setTimeout(r, 2500));
    await publishJsonSurveys(js, [...generateSurveys({ seed: 52, count: 600, idPrefix: 'tw2-' })]);
    const windows = await eventually(async () => {
      const rows = await p.query<{ window_start: string; window_end: string; n: string; window_kind: string }>(
        "SELECT window_start, window_end, n, window_kind FROM {db}.monitor_windows FINAL WHERE window_kind = 'time' ORDER BY window_start",
      );
      return rows.reduce((sum, r) => sum + Number(r.n), 0) >= 1200 ? rows : undefined;
    }, 30_000, 250);
    expect(windows.length).toBeGreaterThanOrEqual(2);
    for (const w of windows) expect(Date.parse(`${w.window_end}Z`) - Date.parse(`${w.window_start}Z`)).toBeLessThanOrEqual(2000);
    const starts = windows.map((w) => w.window_start);
    expect(new Set(starts).size).toBe(starts.length);
    const [drift] = await p.query<{ n: string }>("SELECT count() AS n FROM {db}.drift_metrics WHERE kind = 'dataset'");
    expect(Number(drift?.n)).toBeGreaterThanOrEqual(2);
    const [perf] = await p.query<{ n: string }>("SELECT count() AS n FROM {db}.model_performance WHERE kind = 'realised'");
    expect(Number(perf?.n)).toBeGreaterThanOrEqual(1);
  });
});
