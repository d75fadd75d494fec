/**
 * Predictions between their forms: protobuf `surveystream.v1.Prediction` or JSON on
 * `predictions.v1.<district>.<risk>`, and rows of ClickHouse `predictions`.
 */
import type { JsMsg } from '@nats-io/jetstream';
import { Prediction, RiskCategory, riskCategoryFromJSON } from '../gen/surveystream/v1/prediction.js';

const textDecoder = new TextDecoder('utf-8', { fatal: true });

const RISK_TOKENS: Readonly<Record<number, string>> = {
  [RiskCategory.RISK_CATEGORY_LOW]: 'low',
  [RiskCategory.RISK_CATEGORY_MEDIUM]: 'medium',
  [RiskCategory.RISK_CATEGORY_HIGH]: 'high',
  [RiskCategory.RISK_CATEGORY_CRITICAL]: 'critical',
};

/** The subject token of a risk category (`low`, `medium`, `high`, `critical`). */
export function riskToken(risk: RiskCategory): string | undefined {
  return RISK_TOKENS[risk];
}

/** Reads a risk given as `High`, `high`, `RISK_CATEGORY_HIGH` or its number. */
export function riskFromText(value: unknown): RiskCategory {
  if (typeof value === 'string') {
    const upper = value.trim().toUpperCase();
    const named = riskCategoryFromJSON(upper.startsWith('RISK_CATEGORY_') ? upper : `RISK_CATEGORY_${upper}`);
    return named;
  }
  return typeof value === 'number' ? riskCategoryFromJSON(value) : RiskCategory.RISK_CATEGORY_UNSPECIFIED;
}

/** Decodes a PREDICTIONS message; JSON when its Content-Type says so. Throws on garbage. */
export function decodePrediction(msg: Pick<JsMsg, 'data' | 'headers'>): Prediction {
  const contentType = msg.headers?.get('Content-Type') ?? '';
  if (!contentType.startsWith('application/json')) return Prediction.decode(msg.data);
  const obj = JSON.parse(textDecoder.decode(msg.data)) as Record<string, unknown>;
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new TypeError('a prediction must be a JSON object');
  return { ...Prediction.fromJSON(obj), risk: riskFromText(obj['risk']) };
}

/** A row of ClickHouse `predictions` as selected by the prediction store. */
export interface PredictionRow {
  submission_id: string;
  household_key: string;
  District: string;
  probability: number | string;
  vulnerable: number | string;
  risk: string;
  confidence: number | string;
  model_version: string;
  model_name: string;
  feature_spec_version: string;
  scoring_latency_ms: number | string;
  received_at_ms: number | string;
  scored_at_ms: number | string;
}

/** The Prediction message for a stored row. */
export function predictionFromRow(row: PredictionRow): Prediction {
  return {
    submissionId: row.submission_id,
    householdKey: row.household_key,
    district: row.District,
    probability: Number(row.probability),
    vulnerable: Number(row.vulnerable) === 1,
    risk: riskFromText(row.risk),
    confidence: Number(row.confidence),
    modelVersion: row.model_version,
    featureSpecVersion: row.feature_spec_version,
    scoringLatencyMs: Number(row.scoring_latency_ms),
    receivedAtMs: Number(row.received_at_ms),
    scoredAtMs: Number(row.scored_at_ms),
    modelName: row.model_name,
  };
}
