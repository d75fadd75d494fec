/**
 * Issue #5: PredictionService over TLS with a device token. WatchPredictions is fed by publishing
 * Prediction messages (protobuf and JSON) on `predictions.v1.<district>.<risk>`; GetPrediction by
 * rows inserted into ClickHouse `predictions`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientReadableStream } from '@grpc/grpc-js';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { subjects } from '../../src/bus/subjects.js';
import { Prediction, RiskCategory } from '../../src/gen/surveystream/v1/prediction.js';
import type { WatchPredictionsResponse } from '../../src/gen/surveystream/v1/prediction_service.js';
import { connectPredictions } from '../../src/client/prediction-client.js';
import { eventually } from '../harness/pipeline.js';
import { grpcError, startSecurePipeline, status, type SecurePipeline } from './ingest-harness.js';

function prediction(id: string, district: string, risk: RiskCategory, probability: number): Prediction {
  return Prediction.fromPartial({ submissionId: id, district, risk, probability, vulnerable: probability >= 0.5, modelVersion: '1.0.0', householdKey: `hk-${id}` });
}

const RISK_TOKEN: Record<number, string> = { 1: 'low', 2: 'medium', 3: 'high', 4: 'critical' };

describe('PredictionService', () => {
  let s: SecurePipeline;

  beforeAll(async () => {
    s = await startSecurePipeline({ overrides: { 'monitor.enabled': 'false' } });
  });
  afterAll(async () => {
    await s?.[Symbol.asyncDispose]();
  });

  async function publish(p: Prediction, json = false): Promise<void> {
    const h = natsHeaders();
    if (json) h.set('Content-Type', 'application/json');
    const body = json
      ? JSON.stringify({ ...(Prediction.toJSON(p) as object), risk: RISK_TOKEN[p.risk]!.replace(/^./, (c) => c.toUpperCase()) })
      : Prediction.encode(p).finish();
    await s.p.running.infra.bus.js.publish(subjects.prediction(p.district, RISK_TOKEN[p.risk]!), body, { headers: h, msgID: `${p.submissionId}:1.0.0` });
  }

  /** Collects `n` predictions from a watch, then cancels it. */
  function collect(call: ClientReadableStream<WatchPredictionsResponse>, n: number): Promise<WatchPredictionsResponse[]> {
    const got: WatchPredictionsResponse[] = [];
    return new Promise((resolve, reject) => {
      call.on('data', (r: WatchPredictionsResponse) => {
        got.push(r);
        if (got.length === n) {
          call.cancel();
          resolve(got);
        }
      });
      call.on('error', (err: Error & { code: status }) => (err.code === status.CANCELLED ? undefined : reject(err)));
    });
  }

  async function consumers(): Promise<number> {
    return (await s.p.running.infra.bus.jsm.streams.info('PREDICTIONS')).state.consumer_count;
  }

  it('streams new predictions of one district and risk, protobuf and JSON alike', async () => {
    const before = await consumers();
    const call = s.predictions.watch({ district: 'Kanungu', risks: [RiskCategory.RISK_CATEGORY_HIGH] });
    const got = collect(call, 2);
    await eventually(async () => (await consumers()) > before);
    await publish(prediction('w-1', 'Kanungu', RiskCategory.RISK_CATEGORY_LOW, 0.1));
    await publish(prediction('w-2', 'Mitooma', RiskCategory.RISK_CATEGORY_HIGH, 0.7));
    await publish(prediction('w-3', 'Kanungu', RiskCategory.RISK_CATEGORY_HIGH, 0.75));
    await s.p.running.infra.bus.js.publish('predictions.v1.kanungu.high', new Uint8Array([0xff, 0xff]), { msgID: 'garbage' });
    await publish(prediction('w-4', 'Kanungu', RiskCategory.RISK_CATEGORY_HIGH, 0.78), true);
    const res = await got;
    expect(res.map((r) => [r.prediction!.submissionId, r.prediction!.risk])).toEqual([
      ['w-3', RiskCategory.RISK_CATEGORY_HIGH],
      ['w-4', RiskCategory.RISK_CATEGORY_HIGH],
    ]);
    expect(res[1]!.prediction!.probability).toBeCloseTo(0.78);
    expect(res[0]!.streamSequence).toBeLessThan(res[1]!.streamSequence);
  });

  it('replays from a given time, with several risks and every district', async () => {
    const since = Date.now() - 1;
    await publish(prediction('h-1', 'Rubanda', RiskCategory.RISK_CATEGORY_CRITICAL, 0.95));
    await publish(prediction('h-2', 'Rubanda', RiskCategory.RISK_CATEGORY_MEDIUM, 0.4));
    await publish(prediction('h-3', 'Rukungiri', RiskCategory.RISK_CATEGORY_HIGH, 0.7));
    const call = s.predictions.watch({ risks: [RiskCategory.RISK_CATEGORY_HIGH, RiskCategory.RISK_CATEGORY_CRITICAL], sinceMs: since });
    const res = await collect(call, 2);
    expect(res.map((r) => r.prediction!.submissionId)).toEqual(['h-1', 'h-3']);
    expect(res.every((r) => r.publishedAtMs >= since)).toBe(true);
  });

  it('refuses an unknown risk with INVALID_ARGUMENT', async () => {
    const call = s.predictions.watch({ risks: [9 as RiskCategory] });
    const err = await new Promise<{ code: number }>((resolve) => call.on('error', resolve));
    expect(err.code).toBe(status.INVALID_ARGUMENT);
  });

  it('answers GetPrediction with the latest serving prediction of a household', async () => {
    const { ch, pii } = s.p.running.infra;
    const key = pii.hash('HH-LOOKUP-1');
    const row = (id: string, version: string, role: string, scoredAt: number, probability: number): Record<string, unknown> => ({
      submission_id: id, model_name: 'baseline', model_version: version, feature_spec_version: 'fs-1', role, household_key: key,
      District: 'Mitooma', probability, vulnerable: probability >= 0.5 ? 1 : 0, risk: probability > 0.8 ? 'Critical' : 'Medium',
      confidence: Math.max(probability, 1 - probability), scoring_latency_ms: 1.5, received_at: scoredAt - 1000, scored_at: scoredAt, label_vulnerable: null, _version: scoredAt,
    });
    const now = Date.now();
    await ch.client.insert({
      table: `${ch.database}.predictions`,
      values: [row('gp-old', '1.0.0', 'champion', now - 60_000, 0.4), row('gp-new', '1.1.0', 'champion', now - 1000, 0.9), row('gp-shadow', '2.0.0', 'shadow', now, 0.2)],
      format: 'JSONEachRow',
    });
    const p = await s.predictions.get('HH-LOOKUP-1');
    expect(p).toMatchObject({ submissionId: 'gp-new', modelVersion: '1.1.0', risk: RiskCategory.RISK_CATEGORY_CRITICAL, householdKey: key, district: 'Mitooma', vulnerable: true });
    expect(p.scoredAtMs).toBe(now - 1000);
    expect((await grpcError(s.predictions.get('HH-NEVER-SEEN'))).code).toBe(status.NOT_FOUND);
    expect((await grpcError(s.predictions.get(''))).code).toBe(status.INVALID_ARGUMENT);
  });

  it('answers UNAUTHENTICATED to both RPCs without a valid token', async () => {
    using bad = connectPredictions({ ...s.options, token: 'sst1.eA.eA' });
    expect((await grpcError(bad.get('HH-LOOKUP-1'))).code).toBe(status.UNAUTHENTICATED);
    const call = bad.watch({});
    const err = await new Promise<{ code: number }>((resolve) => call.on('error', resolve));
    expect(err.code).toBe(status.UNAUTHENTICATED);
  });
});
