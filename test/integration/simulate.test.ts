/** The device simulator streams generated backlogs over StreamSurveys (or unary) into the pipeline. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../src/cli/simulate.js';
import { generateSurveys } from '../../src/domain/generator/index.js';
import { eventually, startTestPipeline, type TestPipeline } from '../harness/pipeline.js';

describe('surveystream simulate', () => {
  let p: TestPipeline;
  beforeAll(async () => {
    p = await startTestPipeline();
  });
  afterAll(async () => {
    await p?.[Symbol.asyncDispose]();
  });

  it('syncs each device backlog over StreamSurveys and every survey lands', async () => {
    const surveys = [...generateSurveys({ seed: 31, count: 400, idPrefix: 'sim-', errors: { rate: 0.05, kinds: ['out_of_range', 'duplicate'] } })];
    const stats = await simulate(p.address, surveys, { devices: 8, ratePerSec: 0, burst: 25 });
    expect(stats.failed).toBe(0);
    expect(stats.accepted + stats.duplicate).toBe(400);
    const unique = new Set(surveys.map((s) => s.meta.submissionId)).size;
    expect(stats.accepted).toBe(unique);
    await eventually(async () => {
      const [r] = await p.query<{ n: string }>(
        "SELECT (SELECT count() FROM {db}.surveys FINAL WHERE startsWith(submission_id, 'sim-')) + (SELECT uniqExact(submission_id) FROM {db}.rejections WHERE startsWith(submission_id, 'sim-')) AS n",
      );
      return Number(r?.n) === unique;
    });
  });

  it('paces unary submissions at the requested rate', async () => {
    const surveys = [...generateSurveys({ seed: 32, count: 40, idPrefix: 'simu-' })];
    const started = Date.now();
    const stats = await simulate(p.address, surveys, { devices: 4, ratePerSec: 100, burst: 0 });
    expect(stats.accepted).toBe(40);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  });
});
