/** The latest stored prediction of a household, from ClickHouse `predictions` by its keyed hash. */
import type { Prediction } from '../gen/surveystream/v1/prediction.js';
import { PipelineError } from '../errors.js';
import type { ClickHouse } from '../sink/clickhouse.js';
import { predictionFromRow, type PredictionRow } from './prediction-codec.js';

/** Finds the latest champion prediction for a household key; undefined when there is none. */
export type LatestPrediction = (householdKey: string) => Promise<Prediction | undefined>;

/** Shadow (challenger) scores are not answers: only the serving model's rows count. */
export function latestPredictionFrom(ch: ClickHouse): LatestPrediction {
  return async (householdKey) => {
    const query = `
      SELECT submission_id, household_key, District, probability, vulnerable, risk, confidence,
             model_version, model_name, feature_spec_version, scoring_latency_ms,
             toUnixTimestamp64Milli(received_at) AS received_at_ms,
             toUnixTimestamp64Milli(scored_at) AS scored_at_ms
      FROM ${ch.database}.predictions FINAL
      WHERE household_key = {key:String} AND role != 'shadow'
      ORDER BY scored_at DESC, _version DESC
      LIMIT 1`;
    try {
      const rs = await ch.client.query({ query, query_params: { key: householdKey }, format: 'JSONEachRow' });
      const [row] = await rs.json<PredictionRow>();
      return row ? predictionFromRow(row) : undefined;
    } catch (err) {
      throw new PipelineError('UNAVAILABLE', 'cannot read predictions right now; retry later', true, {
        cause: err,
        details: { 'retry-after-ms': '1000' },
      });
    }
  };
}
