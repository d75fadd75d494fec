/**
 * The training job on its own thread: same result as in-process, PipelineError codes survive the
 * thread boundary, shutdown terminates it, and the caller's event loop keeps turning meanwhile.
 */
import { describe, expect, it } from 'vitest';
import { generateSurveys } from '../../../src/domain/generator/index.js';
import { PipelineError } from '../../../src/errors.js';
import { readModelDir } from '../../../src/score/model-dir.js';
import { runTrainingJob, type TrainingJob } from '../../../src/trainer/training-job.js';
import { runTrainingThread } from '../../../src/trainer/training-thread.js';

const texts = new Map<number, string>();
/** Rows as `loadLabelledText` returns them: JSONEachRow, newest first. */
function rowsText(count: number): string {
  const cached = texts.get(count);
  if (cached) return cached;
  const t0 = Date.UTC(2026, 0, 1);
  const lines = [...generateSurveys({ seed: 21, count })].map((s, i) => JSON.stringify({ ...s.values, received_ms: String(t0 + i * 60_000) }));
  const text = lines.reverse().join('\n') + '\n';
  texts.set(count, text);
  return text;
}

function job(count: number, over: Partial<TrainingJob> = {}): TrainingJob {
  return {
    rowsText: rowsText(count),
    holdoutShare: 0.2,
    minTrainingRows: 100,
    train: { name: 'vulnerability', version: 'thread-test', algo: 'gbdt', split: 'time', gbdt: { nEstimators: 20, maxDepth: 3 } },
    ...over,
  };
}

describe('training thread', () => {
  it('trains and evaluates exactly as in-process, champion included', async () => {
    const j = job(2000, { champion: readModelDir('models/baseline') });
    const [threaded, inProcess] = [await runTrainingThread(j), await runTrainingJob(j)];
    expect(threaded.kind).toBe('trained');
    if (threaded.kind !== 'trained' || inProcess.kind !== 'trained') return;
    expect(threaded.trainRows).toBe(inProcess.trainRows);
    expect(threaded.holdout).toEqual(inProcess.holdout);
    expect(Buffer.from(threaded.candidate.onnx).equals(Buffer.from(inProcess.candidate.onnx))).toBe(true);
    expect(threaded.cand).toEqual(inProcess.cand);
    expect(threaded.champ).toEqual(inProcess.champ);
    expect(threaded.champ?.n).toBe(threaded.holdout.rows);
  });

  it('skips below the minimum without training', async () => {
    expect(await runTrainingThread(job(150, { minTrainingRows: 500 }))).toEqual({ kind: 'skipped', rows: expect.any(Number) as number });
  });

  it('hands back the job error with its code', async () => {
    const err = await runTrainingThread(job(60, { minTrainingRows: 0 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PipelineError);
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/at least 100 labelled surveys/) as string });
  });

  it('is terminated when the trainer shuts down', async () => {
    const stop = new AbortController();
    const running = runTrainingThread(job(10_000, { train: { name: 'v', version: 'x', algo: 'gbdt', split: 'time', gbdt: { nEstimators: 400, maxDepth: 6 } } }), stop.signal);
    setTimeout(() => stop.abort(), 200);
    await expect(running).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/shutting down/) as string });
  });

  it('leaves the calling event loop free while it trains', async () => {
    // In-process, a multi-second training run would let no timer fire until it ended.
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 10);
    const started = performance.now();
    const done = await runTrainingThread(job(10_000, { train: { name: 'v', version: 'x', algo: 'gbdt', split: 'time', gbdt: { nEstimators: 300, maxDepth: 6 } } }));
    const elapsedMs = performance.now() - started;
    clearInterval(timer);
    expect(done.kind).toBe('trained');
    expect(elapsedMs).toBeGreaterThan(500); // long enough to tell the two apart
    expect(ticks).toBeGreaterThan(elapsedMs / 10 / 4);
  });
});
