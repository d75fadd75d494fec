/**
 * Predictions → ClickHouse `predictions` (champion and shadow rows) and, for the champion only,
 * `predictions.v1.<district>.<risk>` (msg id `<submission_id>:<model_version>`, so a redelivered
 * record is not announced twice). Messages are protobuf `surveystream.v1.Prediction`, or JSON
 * (proto3 JSON mapping) when configured; the Content-Type header says which.
 */
import { subjects } from '../bus/subjects.js';
import { PipelineError } from '../errors.js';
import { Prediction, RiskCategory } from '../gen/surveystream/v1/prediction.js';
import type { PiiProtector } from '../protect/pii.js';
import type { AcceptedItem, BatchSink, PredictionResult } from '../pipeline/types.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { ClickHouse } from './clickhouse.js';
import { insertRows, type PublishFn } from './sinks.js';

export const PREDICTION_CONTENT_TYPE = 'application/x-protobuf; messageType=surveystream.v1.Prediction';

const RISK_ENUM: Record<string, RiskCategory> = {
  Low: RiskCategory.RISK_CATEGORY_LOW,
  Medium: RiskCategory.RISK_CATEGORY_MEDIUM,
  High: RiskCategory.RISK_CATEGORY_HIGH,
  Critical: RiskCategory.RISK_CATEGORY_CRITICAL,
};

export function predictionMessage(item: AcceptedItem, p: PredictionResult, householdKey: string): Prediction {
  return {
    submissionId: item.record.meta.submissionId,
    householdKey,
    district: String(item.record.values['District'] ?? ''),
    probability: p.probability,
    vulnerable: p.vulnerable,
    risk: RISK_ENUM[p.risk] ?? RiskCategory.RISK_CATEGORY_UNSPECIFIED,
    confidence: p.confidence,
    modelVersion: p.run.modelVersion,
    featureSpecVersion: p.run.specVersion,
    scoringLatencyMs: p.run.latencyMs,
    receivedAtMs: item.env.storedAtMs,
    scoredAtMs: p.run.scoredAtMs,
    modelName: p.run.modelName,
  };
}

function row(item: AcceptedItem, p: PredictionResult, role: 'champion' | 'shadow', householdKey: string): Record<string, unknown> {
  return {
    submission_id: item.record.meta.submissionId,
    model_name: p.run.modelName,
    model_version: p.run.modelVersion,
    feature_spec_version: p.run.specVersion,
    role,
    household_key: householdKey,
    District: item.record.values['District'] ?? '',
    probability: p.probability,
    vulnerable: p.vulnerable ? 1 : 0,
    risk: p.risk,
    confidence: p.confidence,
    scoring_latency_ms: p.run.latencyMs,
    received_at: item.env.storedAtMs,
    scored_at: p.run.scoredAtMs,
    label_vulnerable: item.label ? (item.label.isVulnerable ? 1 : 0) : null,
    _version: item.env.version,
  };
}

export interface PredictionSinkOptions {
  format: 'protobuf' | 'json';
}

export function createPredictionSink(publish: PublishFn, ch: ClickHouse, pii: PiiProtector, opts: PredictionSinkOptions, metrics?: Metrics): BatchSink {
  return {
    name: 'predictions',
    async write(batch) {
      const scored = batch.filter((i): i is AcceptedItem => i.kind === 'accepted' && (i.prediction !== undefined || i.shadow !== undefined));
      if (scored.length === 0) return;
      const rows: Record<string, unknown>[] = [];
      const acks: Promise<unknown>[] = [];
      for (const item of scored) {
        const key = pii.hash(item.record.values['HouseHoldID']);
        if (item.shadow) rows.push(row(item, item.shadow, 'shadow', key));
        const p = item.prediction;
        if (!p) continue;
        rows.push(row(item, p, 'champion', key));
        const msg = predictionMessage(item, p, key);
        const json = opts.format === 'json';
        acks.push(
          publish({
            submissionId: `${msg.submissionId}:${p.run.modelVersion}`,
            district: msg.district,
            subject: subjects.prediction(msg.district, p.risk),
            payload: json ? new TextEncoder().encode(JSON.stringify(Prediction.toJSON(msg))) : Prediction.encode(msg).finish(),
            contentType: json ? 'application/json' : PREDICTION_CONTENT_TYPE,
          }),
        );
      }
      await insertRows(ch, 'predictions', rows, metrics);
      try {
        await Promise.all(acks);
      } catch (err) {
        throw new PipelineError('SINK', `prediction publish failed: ${(err as Error).message}`, true, { cause: err });
      }
      metrics?.records.inc({ stage: 'score', outcome: 'scored' }, scored.length);
    },
  };
}
