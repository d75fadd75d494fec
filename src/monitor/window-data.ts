/**
 * ClickHouse reads and writes of one monitoring window: the surveys to featurize, the per-feature
 * bin counts (`feature_windows`, read back merged), the champion's score histogram in the card's
 * reference bins, the probability bins for performance, and the result rows.
 */
import type { SurveyValues } from '../domain/fields.js';
import { FIELD_BY_COLUMN } from '../domain/fields.js';
import { sourceColumns } from '../featurize/index.js';
import type { FeatureReference, ModelCard } from '../model/index.js';
import type { ClickHouse } from '../sink/clickhouse.js';
import type { DriftStat } from './drift.js';
import type { FeatureCounts } from './feature-bins.js';
import { PROBABILITY_BINS, type PerformanceRow, type ProbabilityBin } from './performance.js';
import { windowPredicate, type MonitorWindow } from './windows.js';

async function rows<T>(ch: ClickHouse, query: string, params: Record<string, unknown>): Promise<T[]> {
  const rs = await ch.client.query({ query, query_params: params, format: 'JSONEachRow' });
  return rs.json<T>();
}

/** Survey columns the card's spec reads; names are checked against the survey dictionary. */
export function featureColumns(card: ModelCard): string[] {
  const cols = sourceColumns(card.feature_spec).filter((c) => FIELD_BY_COLUMN.get(c)?.column === c);
  return [...new Set(cols)];
}

/** The window's surveys (one row per submission), with only the columns the spec reads. */
export async function windowSurveys(ch: ClickHouse, card: ModelCard, w: MonitorWindow): Promise<SurveyValues[]> {
  const pred = windowPredicate(w);
  const cols = featureColumns(card).map((c) => `\`${c}\``).join(', ');
  return rows<SurveyValues>(
    ch,
    `SELECT ${cols} FROM ${ch.database}.surveys WHERE ${pred.sql} ORDER BY stream_seq LIMIT 1 BY submission_id`,
    pred.params,
  );
}


/** Where a window's rows are keyed (migration 0010): its time span AND its first stream sequence. */
const WINDOW_KEY = `model_version = {v:String} AND window_start = fromUnixTimestamp64Milli({s:Int64})
  AND window_end = fromUnixTimestamp64Milli({e:Int64}) AND seq_from = {q:UInt64}`;

function windowKey(w: MonitorWindow, version: string): Record<string, unknown> {
  return { v: version, s: w.start, e: w.end, q: w.seqFrom };
}

/**
 * Whether a window's feature bin counts are stored already (by a monitor that stopped after storing
 * them but before recording the window). The table sums rows with equal keys, so they must not be
 * inserted again; the window is closed, so the stored counts came from the same rows.
 */
export async function hasFeatureCounts(ch: ClickHouse, w: MonitorWindow, version: string): Promise<boolean> {
  const [stored] = await rows<{ n: string }>(ch, `SELECT count() AS n FROM ${ch.database}.feature_windows WHERE ${WINDOW_KEY}`, windowKey(w, version));
  return Number(stored?.n ?? 0) > 0;
}

/** Stores a window's feature bin counts (once: see {@link hasFeatureCounts}). */
export async function insertFeatureCounts(ch: ClickHouse, w: MonitorWindow, version: string, counts: readonly FeatureCounts[]): Promise<void> {
  const values = counts.flatMap((c) =>
    c.bins.map((bin, i) => ({
      window_start: w.start,
      window_end: w.end,
      seq_from: w.seqFrom,
      model_version: version,
      feature: c.feature,
      kind: c.kind,
      bin,
      count: c.counts[i]!,
      value_sum: c.sums[i]!,
    })),
  );
  if (values.length) await ch.client.insert({ table: `${ch.database}.feature_windows`, values, format: 'JSONEachRow' });
}

/** Bin counts of a window as ClickHouse holds them (summed over every contributor). */
export async function readFeatureCounts(ch: ClickHouse, w: MonitorWindow, version: string, refs: readonly FeatureReference[]): Promise<FeatureCounts[]> {
  const got = await rows<{ feature: string; bin: string; count: string; value_sum: number }>(
    ch,
    `SELECT feature, bin, sum(count) AS count, sum(value_sum) AS value_sum FROM ${ch.database}.feature_windows
     WHERE ${WINDOW_KEY}
     GROUP BY feature, bin`,
    windowKey(w, version),
  );
  const key = (f: string, b: string): string => `${f}\u0000${b}`;
  const byKey = new Map(got.map((r) => [key(r.feature, r.bin), r]));
  return refs.map((ref) => {
    const bins = ref.kind === 'numeric' ? Array.from({ length: Math.max(1, ref.edges.length - 1) }, (_, i) => String(i)) : [...ref.categories];
    return {
      feature: ref.name,
      kind: ref.kind,
      bins,
      counts: bins.map((b) => Number(byKey.get(key(ref.name, b))?.count ?? 0)),
      sums: bins.map((b) => byKey.get(key(ref.name, b))?.value_sum ?? 0),
    };
  });
}

function surveysIn(ch: ClickHouse, w: MonitorWindow): { sql: string; params: Record<string, unknown> } {
  const pred = windowPredicate(w);
  return { sql: `submission_id IN (SELECT submission_id FROM ${ch.database}.surveys WHERE ${pred.sql})`, params: pred.params };
}

/** The champion's scores in the window, counted into the card's score reference bins. */
export async function scoreCounts(ch: ClickHouse, w: MonitorWindow, version: string, ref: FeatureReference): Promise<FeatureCounts | undefined> {
  if (ref.kind !== 'numeric') return undefined;
  const inWindow = surveysIn(ch, w);
  const got = await rows<{ b: number; n: string; s: number }>(
    ch,
    `SELECT arrayCount(e -> probability > e, {interior:Array(Float64)}) AS b, count() AS n, sum(probability) AS s
     FROM ${ch.database}.predictions FINAL
     WHERE model_version = {v:String} AND role = 'champion' AND ${inWindow.sql} GROUP BY b`,
    { ...inWindow.params, v: version, interior: ref.edges.slice(1, -1) },
  );
  const k = Math.max(1, ref.edges.length - 1);
  const counts = new Array<number>(k).fill(0);
  const sums = new Array<number>(k).fill(0);
  for (const r of got) {
    counts[r.b] = Number(r.n);
    sums[r.b] = r.s;
  }
  return { feature: 'score', kind: 'numeric', bins: counts.map((_, i) => String(i)), counts, sums };
}

/** Probability-binned aggregates per (model_version, role) of the window's predictions. */
export async function probabilityBins(ch: ClickHouse, w: MonitorWindow): Promise<Map<string, ProbabilityBin[]>> {
  const inWindow = surveysIn(ch, w);
  const got = await rows<Record<string, string | number>>(
    ch,
    `SELECT model_version, role, least(toUInt32(floor(probability * {bins:UInt32})), {last:UInt32}) AS bin,
       count() AS n, sum(probability) AS sumP, sum(probability * (1 - probability)) AS sumPq,
       countIf(vulnerable = 1) AS predPos, sumIf(probability, vulnerable = 1) AS sumPPredPos,
       sumIf(probability, vulnerable = 0) AS sumPPredNeg,
       countIf(label_vulnerable IS NOT NULL) AS labelled, countIf(label_vulnerable = 1) AS positives,
       countIf(vulnerable = 1 AND label_vulnerable = 1) AS tp, countIf(vulnerable = 1 AND label_vulnerable = 0) AS fp,
       sumIf(probability, label_vulnerable IS NOT NULL) AS sumPLabelled,
       sumIf(pow(probability - assumeNotNull(label_vulnerable), 2), label_vulnerable IS NOT NULL) AS sqErr
     FROM ${ch.database}.predictions FINAL WHERE ${inWindow.sql}
     GROUP BY model_version, role, bin`,
    { ...inWindow.params, bins: PROBABILITY_BINS, last: PROBABILITY_BINS - 1 },
  );
  const out = new Map<string, ProbabilityBin[]>();
  for (const r of got) {
    const key = `${String(r['model_version'])}\u0000${String(r['role'])}`;
    const num = (k: string): number => Number(r[k]);
    const bin: ProbabilityBin = {
      bin: num('bin'), n: num('n'), sumP: num('sumP'), sumPq: num('sumPq'), predPos: num('predPos'),
      sumPPredPos: num('sumPPredPos'), sumPPredNeg: num('sumPPredNeg'), labelled: num('labelled'),
      positives: num('positives'), tp: num('tp'), fp: num('fp'), sumPLabelled: num('sumPLabelled'), sqErr: num('sqErr'),
    };
    out.set(key, [...(out.get(key) ?? []), bin]);
  }
  return out;
}

/** Writes the drift rows of a window. */
export async function insertDrift(ch: ClickHouse, w: MonitorWindow, version: string, stats: readonly DriftStat[]): Promise<void> {
  const values = stats.map((s) => ({
    window_start: w.start, window_end: w.end, seq_from: w.seqFrom, model_version: version, feature: s.feature, kind: s.kind,
    statistic: s.statistic, value: s.value, threshold: s.threshold, drifted: s.drifted ? 1 : 0, n: s.n,
  }));
  if (values.length) await ch.client.insert({ table: `${ch.database}.drift_metrics`, values, format: 'JSONEachRow' });
}

/** A performance row with its model. */
export interface ModelPerformance extends PerformanceRow {
  readonly model_version: string;
  readonly role: string;
}

/** Writes the performance rows of a window. */
export async function insertPerformance(ch: ClickHouse, w: MonitorWindow, perf: readonly ModelPerformance[]): Promise<void> {
  const values = perf.map((p) => ({ window_start: w.start, window_end: w.end, seq_from: w.seqFrom, ...p }));
  if (values.length) await ch.client.insert({ table: `${ch.database}.model_performance`, values, format: 'JSONEachRow' });
}

/** Records a processed window (the monitor's cursor). */
export async function insertWindow(ch: ClickHouse, w: MonitorWindow, version: string, drifted: readonly string[]): Promise<void> {
  await ch.client.insert({
    table: `${ch.database}.monitor_windows`,
    values: [{ window_start: w.start, window_end: w.end, model_version: version, window_kind: w.kind, seq_from: w.seqFrom, seq_to: w.seqTo, n: w.n, drifted_features: drifted, processed_at: Date.now() }],
    format: 'JSONEachRow',
  });
}
