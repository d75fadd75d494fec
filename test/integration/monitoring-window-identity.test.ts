/**
 * Size windows are told apart by their stream sequences, not only by time: a backlog lands in
 * micro-batches of 1,000 rows that share one `ingested_at`, so two 500-row windows can have the same
 * start and end. Each must still get its own feature counts, drift and performance rows. And a
 * window evaluated twice (a monitor that crashed before recording its cursor) is not counted twice.
 */
import { describe, expect, it } from 'vitest';
import { generateSurveys } from '../../src/domain/generator/index.js';
import { DEFAULT_DRIFT_THRESHOLDS } from '../../src/monitor/index.js';
import { evaluateWindow } from '../../src/monitor/window-eval.js';
import { readModelDir } from '../../src/score/model-dir.js';
import { eventually, startTestPipeline } from '../harness/pipeline.js';
import { publishJsonSurveys } from '../harness/publish.js';

interface WindowRow {
  window_start: string;
  window_end: string;
  seq_from: string;
  seq_to: string;
  n: string;
}

describe('monitor window identity', () => {
  it('keeps windows that share a start and end apart, and counts a re-evaluated window once', async () => {
    await using p = await startTestPipeline({
      'monitor.enabled': true,
      'monitor.windowRows': 500,
      'monitor.intervalMs': 250,
      'monitor.settleMs': 300,
      'worker.maxBatchRows': 1000,
      'worker.flushIntervalMs': 2000, // full 1,000-row batches
    });
    await publishJsonSurveys(p.running.infra.bus.js, [...generateSurveys({ seed: 61, count: 2000, idPrefix: 'wid-' })]);
    const windows = await eventually(async () => {
      const rows = await p.query<WindowRow>("SELECT window_start, window_end, seq_from, seq_to, n FROM {db}.monitor_windows FINAL WHERE window_kind = 'size' ORDER BY seq_from");
      return rows.length >= 4 ? rows : undefined;
    }, 30_000, 250);
    const shared = windows.filter((w, i) => windows.some((o, j) => j !== i && o.window_start === w.window_start && o.window_end === w.window_end));
    expect(shared.length, 'the backlog should produce windows with the same time span').toBeGreaterThan(0);

    const perWindow = async (): Promise<Map<string, { rows: number; drift: number; perf: number }>> => {
      const counts = await p.query<{ seq_from: string; rows: string }>(
        "SELECT seq_from, sum(count) AS rows FROM {db}.feature_windows WHERE feature = 'HouseholdSize' GROUP BY seq_from",
      );
      const drift = await p.query<{ seq_from: string; n: string }>("SELECT seq_from, count() AS n FROM {db}.drift_metrics FINAL WHERE kind = 'dataset' GROUP BY seq_from");
      const perf = await p.query<{ seq_from: string; n: string }>("SELECT seq_from, count() AS n FROM {db}.model_performance FINAL WHERE kind = 'realised' GROUP BY seq_from");
      const out = new Map<string, { rows: number; drift: number; perf: number }>();
      for (const w of windows) {
        out.set(w.seq_from, {
          rows: Number(counts.find((c) => c.seq_from === w.seq_from)?.rows ?? 0),
          drift: Number(drift.find((c) => c.seq_from === w.seq_from)?.n ?? 0),
          perf: Number(perf.find((c) => c.seq_from === w.seq_from)?.n ?? 0),
        });
      }
      return out;
    };
    for (const [seq, got] of await perWindow()) expect(got, `window from seq ${seq}`).toEqual({ rows: 500, drift: 1, perf: 1 });

    // A monitor that crashed after storing a window's counts evaluates that window again.
    const card = readModelDir(p.running.infra.cfg.model.path).card;
    const w = windows[1]!;
    const again = await evaluateWindow(
      p.running.infra.ch,
      card,
      { kind: 'size', start: Date.parse(`${w.window_start}Z`), end: Date.parse(`${w.window_end}Z`), seqFrom: Number(w.seq_from), seqTo: Number(w.seq_to), n: Number(w.n) },
      DEFAULT_DRIFT_THRESHOLDS,
    );
    expect(again.window.n).toBe(500);
    for (const [seq, got] of await perWindow()) expect(got, `window from seq ${seq} after a re-evaluation`).toEqual({ rows: 500, drift: 1, perf: 1 });
  });
});
