/**
 * Alert rules: turn window results, ClickHouse aggregates and consumer samples into
 * {@link Condition}s. Each rule yields its condition whether it holds or not, so an alert
 * resolves as soon as a later evaluation finds it clear.
 */
import type { ClickHouse } from '../sink/clickhouse.js';
import type { Condition } from './alerts.js';
import type { ConsumerSample } from './consumer.js';
import type { DriftStat } from './drift.js';
import type { ModelPerformance } from './window-data.js';

/** Thresholds of the non-drift rules. */
export interface RuleThresholds {
  /** Mean quality score of accepted records below this fires `data_quality`. */
  readonly minQuality: number;
  /** Share of records dead-lettered above this fires `dlq_rate`. */
  readonly maxDlqRate: number;
  /** Records needed in the lookback before quality and DLQ rules judge. */
  readonly minVolume: number;
  /** Look-back of the quality, DLQ and ingestion rules, ms. */
  readonly lookbackMs: number;
  /** Undelivered messages above this fire `consumer_lag`. */
  readonly maxPending: number;
  /** No progress for this long fires `consumer_stalled`, ms. */
  readonly stallMs: number;
  /** F1 this far below the card's test F1 fires `performance`. */
  readonly maxF1Drop: number;
  /** Labelled rows needed before realised performance is judged (else the estimate is). */
  readonly minLabelled: number;
}

/** One drift condition per feature (warning), the score (warning) and the dataset (error). */
export function driftConditions(stats: readonly DriftStat[], modelVersion: string): Condition[] {
  const byFeature = new Map<string, DriftStat[]>();
  for (const s of stats) byFeature.set(s.feature, [...(byFeature.get(s.feature) ?? []), s]);
  return [...byFeature].map(([feature, list]) => {
    const worst = list.reduce((a, b) => (b.value / (b.threshold || 1) > a.value / (a.threshold || 1) ? b : a));
    const firing = list.some((s) => s.drifted);
    const scope = worst.kind === 'dataset' ? 'dataset' : worst.kind === 'score' ? 'prediction' : `feature ${feature}`;
    return {
      kind: 'drift',
      severity: worst.kind === 'dataset' ? 'error' : 'warning',
      labels: { model_version: modelVersion, feature },
      firing,
      value: worst.value,
      threshold: worst.threshold,
      summary: `${scope} drift: ${worst.statistic} ${worst.value.toFixed(3)} (threshold ${worst.threshold}) over ${worst.n} records`,
      modelVersion,
    };
  });
}

/** Performance of the champion below the card's F1 minus the allowed drop (error). */
export function performanceConditions(perf: readonly ModelPerformance[], cardF1: number | null, t: RuleThresholds): Condition[] {
  if (cardF1 === null) return [];
  const champion = perf.filter((p) => p.role === 'champion');
  const realised = champion.find((p) => p.kind === 'realised' && p.n >= t.minLabelled);
  const judged = realised ?? champion.find((p) => p.kind === 'estimated');
  if (!judged) return [];
  const threshold = cardF1 - t.maxF1Drop;
  return [{
    kind: 'performance',
    severity: 'error',
    labels: { model_version: judged.model_version, role: 'champion' },
    firing: judged.f1 < threshold,
    value: judged.f1,
    threshold,
    summary: `${judged.kind} F1 ${judged.f1.toFixed(3)} of model ${judged.model_version} below ${threshold.toFixed(3)} (${judged.n} records)`,
    modelVersion: judged.model_version,
  }];
}

/** Data quality (warning), DLQ rate (error) and failed uploads (error) over the look-back. */
export async function storeConditions(ch: ClickHouse, t: RuleThresholds, nowMs: number): Promise<Condition[]> {
  const since = nowMs - t.lookbackMs;
  const rs = await ch.client.query({
    query: `SELECT sum(accepted) AS accepted, sum(rejected) AS rejected, sum(quality_sum) AS quality_sum
            FROM ${ch.database}.quality_windows WHERE window_start >= toStartOfMinute(fromUnixTimestamp64Milli({since:Int64}))`,
    query_params: { since },
    format: 'JSONEachRow',
  });
  const [q] = await rs.json<{ accepted: string; rejected: string; quality_sum: number }>();
  const accepted = Number(q?.accepted ?? 0);
  const rejected = Number(q?.rejected ?? 0);
  const volume = accepted + rejected;
  const quality = accepted > 0 ? (q?.quality_sum ?? 0) / accepted : 1;
  const dlqRate = volume > 0 ? rejected / volume : 0;
  const enough = volume >= t.minVolume;
  const failed = await failedIngestions(ch, since);
  return [
    { kind: 'data_quality', severity: 'warning', labels: { scope: 'all' }, firing: enough && quality < t.minQuality, value: quality, threshold: t.minQuality, summary: `mean quality score ${quality.toFixed(3)} over ${accepted} accepted records` },
    { kind: 'dlq_rate', severity: 'error', labels: { scope: 'all' }, firing: enough && dlqRate > t.maxDlqRate, value: dlqRate, threshold: t.maxDlqRate, summary: `${(100 * dlqRate).toFixed(1)} % of ${volume} records dead-lettered` },
    { kind: 'ingestion_errors', severity: 'error', labels: { scope: 'uploads' }, firing: failed > 0, value: failed, threshold: 0, summary: `${failed} file upload(s) failed` },
  ];
}

async function failedIngestions(ch: ClickHouse, sinceMs: number): Promise<number> {
  const rs = await ch.client.query({
    query: `SELECT count() AS n FROM ${ch.database}.ingestions FINAL
            WHERE phase = {phase:String} AND updated_at >= fromUnixTimestamp64Milli({since:Int64})`,
    query_params: { phase: 'failed', since: sinceMs },
    format: 'JSONEachRow',
  });
  const [r] = await rs.json<{ n: string }>();
  return Number(r?.n ?? 0);
}

/** Consumer lag (warning) and stall (critical). */
export function consumerConditions(s: ConsumerSample, stalledMs: number, t: RuleThresholds): Condition[] {
  const labels = { stream: s.stream, consumer: s.consumer };
  return [
    { kind: 'consumer_lag', severity: 'warning', labels, firing: s.pending > t.maxPending, value: s.pending, threshold: t.maxPending, summary: `${s.pending} messages waiting on ${s.stream}/${s.consumer}` },
    { kind: 'consumer_stalled', severity: 'critical', labels, firing: stalledMs >= t.stallMs, value: stalledMs / 1000, threshold: t.stallMs / 1000, summary: `${s.stream}/${s.consumer} made no progress for ${(stalledMs / 1000).toFixed(0)} s (${s.pending} pending, ${s.ackPending}/${s.maxAckPending} ack pending)` },
  ];
}
