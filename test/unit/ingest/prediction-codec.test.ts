import { describe, expect, it } from 'vitest';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { Prediction, RiskCategory } from '../../../src/gen/surveystream/v1/prediction.js';
import { decodePrediction, predictionFromRow, riskFromText } from '../../../src/ingest/prediction-codec.js';
import { watchOptions } from '../../../src/ingest/prediction-service.js';

describe('prediction codec', () => {
  it('reads risks in every spelling', () => {
    expect(riskFromText('High')).toBe(RiskCategory.RISK_CATEGORY_HIGH);
    expect(riskFromText('critical')).toBe(RiskCategory.RISK_CATEGORY_CRITICAL);
    expect(riskFromText('RISK_CATEGORY_LOW')).toBe(RiskCategory.RISK_CATEGORY_LOW);
    expect(riskFromText(2)).toBe(RiskCategory.RISK_CATEGORY_MEDIUM);
    expect(riskFromText('extreme')).toBe(RiskCategory.UNRECOGNIZED);
  });

  it('decodes protobuf and JSON messages (snake or camel case)', () => {
    const p = Prediction.fromPartial({ submissionId: 's1', district: 'Kanungu', risk: RiskCategory.RISK_CATEGORY_HIGH, probability: 0.7 });
    expect(decodePrediction({ data: Prediction.encode(p).finish(), headers: undefined })).toEqual(p);
    const h = natsHeaders();
    h.set('Content-Type', 'application/json; charset=utf-8');
    const json = new TextEncoder().encode(JSON.stringify({ submission_id: 's2', district: 'Mitooma', risk: 'Critical', probability: 0.9, model_version: 'v2' }));
    expect(decodePrediction({ data: json, headers: h })).toMatchObject({ submissionId: 's2', risk: RiskCategory.RISK_CATEGORY_CRITICAL, modelVersion: 'v2' });
    expect(() => decodePrediction({ data: new TextEncoder().encode('[1]'), headers: h })).toThrow();
  });

  it('maps a ClickHouse row to a Prediction', () => {
    const p = predictionFromRow({
      submission_id: 's', household_key: 'h1.k.x', District: 'Rubanda', probability: '0.25', vulnerable: 0, risk: 'Low', confidence: 0.75,
      model_version: '1', model_name: 'baseline', feature_spec_version: 'f1', scoring_latency_ms: 2, received_at_ms: '1000', scored_at_ms: 2000,
    });
    expect(p).toMatchObject({ probability: 0.25, vulnerable: false, risk: RiskCategory.RISK_CATEGORY_LOW, receivedAtMs: 1000, scoredAtMs: 2000 });
  });
});

describe('watch options', () => {
  it('filters by subject: district token and a single risk; * otherwise', () => {
    expect(watchOptions({ district: 'Kanungu', risks: [RiskCategory.RISK_CATEGORY_HIGH] })).toEqual({ filter_subjects: 'predictions.v1.kanungu.high', deliver_policy: 'new' });
    expect(watchOptions({ district: '', risks: [] })).toMatchObject({ filter_subjects: 'predictions.v1.*.*' });
    expect(watchOptions({ district: 'x', risks: [RiskCategory.RISK_CATEGORY_HIGH, RiskCategory.RISK_CATEGORY_CRITICAL] })).toMatchObject({ filter_subjects: 'predictions.v1.x.*' });
  });

  it('starts at a time when asked, and refuses bad filters', () => {
    expect(watchOptions({ district: '', risks: [], sinceMs: Date.UTC(2026, 0, 1) })).toMatchObject({ deliver_policy: 'by_start_time', opt_start_time: '2026-01-01T00:00:00.000Z' });
    expect(() => watchOptions({ district: '', risks: [RiskCategory.RISK_CATEGORY_UNSPECIFIED] })).toThrow(/unknown risk/);
    expect(() => watchOptions({ district: 'x'.repeat(65), risks: [] })).toThrow(/district/);
    expect(() => watchOptions({ district: '', risks: [], sinceMs: -5 })).toThrow(/since_ms/);
  });
});
