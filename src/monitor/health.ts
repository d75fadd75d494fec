/**
 * The seed's health score (SEED_SPEC §7): 0.4 · pipeline success + 0.3 · data quality + 0.2 · model
 * performance + 0.1 · resources, each in [0, 1]; ≥ 0.9 Excellent, ≥ 0.8 Good, ≥ 0.7 Warning, else
 * Critical. Components (docs/monitoring.md):
 *  - pipeline success: records that left the pipeline normally (stored, or rejected by validation)
 *    over all records in the look-back; 0 while the consumer is stalled;
 *  - data quality: valid share × mean quality score of the accepted records;
 *  - model performance: latest champion F1 (realised, else estimated) / the card's test F1, ≤ 1;
 *  - resources: 1 while CPU load ≤ 85 % and memory ≤ 90 %, falling linearly to 0 at 100 %.
 * With no traffic in the look-back a component is 1 (nothing failed).
 */
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import type { ClickHouse } from '../sink/clickhouse.js';

/** Health bands. */
export type HealthStatus = 'Excellent' | 'Good' | 'Warning' | 'Critical';

/** Components of the score, each in [0, 1]. */
export interface HealthComponents {
  readonly pipeline_success: number;
  readonly data_quality: number;
  readonly model_performance: number;
  readonly resources: number;
}

/** What `/health` and `surveystream health` print. */
export interface HealthReport {
  readonly score: number;
  readonly status: HealthStatus;
  readonly components: HealthComponents;
  readonly details: Record<string, number | string | boolean | null>;
  readonly computed_at: string;
}

/** The seed's weights. */
export const HEALTH_WEIGHTS = { pipeline_success: 0.4, data_quality: 0.3, model_performance: 0.2, resources: 0.1 } as const;

const clamp = (x: number): number => Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0));

/** Weighted score of the components. */
export function healthScore(c: HealthComponents): number {
  return (Object.keys(HEALTH_WEIGHTS) as (keyof HealthComponents)[]).reduce((s, k) => s + HEALTH_WEIGHTS[k] * clamp(c[k]), 0);
}

/** Band of a score. */
export function healthStatus(score: number): HealthStatus {
  if (score >= 0.9) return 'Excellent';
  if (score >= 0.8) return 'Good';
  if (score >= 0.7) return 'Warning';
  return 'Critical';
}

/** Resource component from CPU load share and memory share. */
export function resourceScore(cpuShare = loadavg()[0]! / Math.max(1, cpus().length), memShare = 1 - freemem() / totalmem()): number {
  return clamp(Math.min(1, (1 - cpuShare) / 0.15, (1 - memShare) / 0.1));
}

/** Inputs of {@link computeHealth} that do not come from ClickHouse. */
export interface HealthInputs {
  readonly lookbackMs: number;
  /** The champion card's test F1 (null: performance counts as 1). */
  readonly cardF1: number | null;
  readonly consumerStalled: boolean;
  readonly nowMs?: number;
}

async function firstRow<T>(ch: ClickHouse, query: string, params: Record<string, unknown>): Promise<T | undefined> {
  const rs = await ch.client.query({ query, query_params: params, format: 'JSONEachRow' });
  return (await rs.json<T>())[0];
}

/** Computes the health report from ClickHouse aggregates. */
export async function computeHealth(ch: ClickHouse, inputs: HealthInputs): Promise<HealthReport> {
  const now = inputs.nowMs ?? Date.now();
  const since = { since: now - inputs.lookbackMs };
  const q = await firstRow<{ accepted: string; quality_sum: number }>(ch,
    `SELECT sum(accepted) AS accepted, sum(quality_sum) AS quality_sum FROM ${ch.database}.quality_windows
     WHERE window_start >= toStartOfMinute(fromUnixTimestamp64Milli({since:Int64}))`, since);
  const r = await firstRow<{ invalid: string; failed: string }>(ch,
    `SELECT countIf(stage = 'validate') AS invalid, countIf(stage != 'validate') AS failed FROM ${ch.database}.rejections
     WHERE rejected_at >= fromUnixTimestamp64Milli({since:Int64})`, since);
  const p = await firstRow<{ f1: number; kind: string }>(ch,
    `SELECT f1, kind FROM ${ch.database}.model_performance WHERE role = 'champion'
     ORDER BY window_end DESC, kind = 'realised' DESC LIMIT 1`, {});
  const accepted = Number(q?.accepted ?? 0);
  const invalid = Number(r?.invalid ?? 0);
  const failed = Number(r?.failed ?? 0);
  const total = accepted + invalid + failed;
  const components: HealthComponents = {
    pipeline_success: inputs.consumerStalled ? 0 : total > 0 ? (accepted + invalid) / total : 1,
    data_quality: accepted + invalid > 0 ? (accepted / (accepted + invalid)) * ((q?.quality_sum ?? 0) / Math.max(1, accepted)) : 1,
    model_performance: p && inputs.cardF1 ? clamp(p.f1 / inputs.cardF1) : 1,
    resources: resourceScore(),
  };
  const score = healthScore(components);
  return {
    score,
    status: healthStatus(score),
    components,
    details: { accepted, rejected_invalid: invalid, failed, consumer_stalled: inputs.consumerStalled, performance_kind: p?.kind ?? null, lookback_ms: inputs.lookbackMs },
    computed_at: new Date(now).toISOString(),
  };
}
