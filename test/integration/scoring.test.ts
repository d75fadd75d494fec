/**
 * Issue #4 acceptance: every valid survey produces exactly one prediction row and one prediction
 * message, scored by the baseline model in micro-batches, with the model and spec versions. Run
 * with one micro-batch at a time (the default) and with three flushing concurrently
 * (`WORKER_FLUSH_CONCURRENCY`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliverPolicy } from '@nats-io/jetstream';
import { generateSurveys } from '../../src/domain/generator/index.js';
import { Prediction, RiskCategory } from '../../src/gen/surveystream/v1/prediction.js';
import { riskOf } from '../../src/score/scorer.js';
import { eventually, startTestPipeline, type TestPipeline } from '../harness/pipeline.js';
import { publishJsonSurveys } from '../harness/publish.js';

const RISKS = ['Low', 'Medium', 'High', 'Critical'];

describe.each([1, 3])('scoring in the stream (flush concurrency %i)', (flushConcurrency) => {
  let p: TestPipeline;
  const surveys = [...generateSurveys({ seed: 21, count: 3000, idPrefix: 's-', errors: { rate: 0.05, kinds: ['out_of_range', 'missing_required', 'duplicate'] } })];
  const valid = new Set(surveys.filter((s) => !s.injected || s.injected.ruleIds.length === 0).map((s) => s.meta.submissionId));

  beforeAll(async () => {
    p = await startTestPipeline({ 'worker.maxBatchRows': 256, 'worker.flushConcurrency': flushConcurrency });
    await publishJsonSurveys(p.running.infra.bus.js, surveys);
    await eventually(async () => {
      const [r] = await p.query<{ n: string }>("SELECT count() AS n FROM {db}.predictions FINAL WHERE startsWith(submission_id, 's-')");
      return Number(r?.n) === valid.size;
    }, 60_000, 200);
  });
  afterAll(async () => {
    await p?.[Symbol.asyncDispose]();
  });

  it('writes exactly one champion prediction row per valid survey', async () => {
    const rows = await p.query<{ submission_id: string; n: string }>(
      "SELECT submission_id, count() AS n FROM {db}.predictions WHERE startsWith(submission_id, 's-') GROUP BY submission_id",
    );
    expect(rows).toHaveLength(valid.size);
    expect(rows.filter((r) => Number(r.n) !== 1)).toEqual([]);
    expect(rows.every((r) => valid.has(r.submission_id))).toBe(true);
  });

  it('records probability, risk, confidence, versions and latency consistently', async () => {
    const rows = await p.query<{ probability: number; risk: string; confidence: number; vulnerable: number; model_version: string; feature_spec_version: string; scoring_latency_ms: number; role: string }>(
      "SELECT probability, risk, confidence, vulnerable, model_version, feature_spec_version, scoring_latency_ms, role FROM {db}.predictions FINAL WHERE startsWith(submission_id, 's-')",
    );
    for (const r of rows) {
      expect(r.risk).toBe(riskOf(r.probability));
      expect(r.confidence).toBeCloseTo(Math.max(r.probability, 1 - r.probability), 9);
      expect(r.vulnerable).toBe(r.probability >= 0.5 ? 1 : 0);
    }
    expect(new Set(rows.map((r) => r.model_version))).toEqual(new Set(['1.0.0']));
    expect(rows[0]!.feature_spec_version).toMatch(/^honest-v1@/);
    expect(rows[0]!.role).toBe('champion');
    expect(rows.every((r) => r.scoring_latency_ms > 0)).toBe(true);
    expect(new Set(rows.map((r) => r.risk)).size).toBeGreaterThanOrEqual(3);
  });

  it('separates vulnerable households from the others (the baseline is a real model)', async () => {
    const [r] = await p.query<{ auc: number }>(
      "SELECT arrayAUC(groupArray(probability), groupArray(toUInt8(assumeNotNull(label_vulnerable)))) AS auc FROM {db}.predictions FINAL WHERE startsWith(submission_id, 's-') AND label_vulnerable IS NOT NULL",
    );
    expect(r!.auc).toBeGreaterThan(0.78);
  });

  it('publishes exactly one prediction message per valid survey on predictions.v1.<district>.<risk>', async () => {
    const { js } = p.running.infra.bus;
    const consumer = await js.consumers.get('PREDICTIONS', { deliver_policy: DeliverPolicy.All, filter_subjects: 'predictions.v1.>' });
    const seen = new Map<string, number>();
    let subjectsOk = true;
    for (;;) {
      const batch = await consumer.fetch({ max_messages: 1000, expires: 1000 });
      let got = 0;
      let last = false;
      for await (const m of batch) {
        got += 1;
        const msg = Prediction.decode(m.data);
        seen.set(msg.submissionId, (seen.get(msg.submissionId) ?? 0) + 1);
        const risk = RISKS[msg.risk - RiskCategory.RISK_CATEGORY_LOW]!;
        if (m.subject !== `predictions.v1.${msg.district.toLowerCase()}.${risk.toLowerCase()}`) subjectsOk = false;
        expect(msg.householdKey).toMatch(/^h1\./);
        if (m.info.pending === 0) last = true;
      }
      if (got === 0 || last) break;
    }
    expect(subjectsOk).toBe(true);
    const mine = [...seen].filter(([id]) => id.startsWith('s-'));
    expect(mine).toHaveLength(valid.size);
    expect(mine.filter(([, n]) => n !== 1)).toEqual([]);
  });
});
