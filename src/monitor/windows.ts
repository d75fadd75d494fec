/**
 * Monitoring windows over the stored surveys: either the next `rows` surveys by JetStream stream
 * sequence (size windows) or fixed time buckets of `ingested_at` (time windows). A window closes
 * once `settleMs` has passed since its last row was written, so records still in a worker's
 * micro-batch (or being retried) are not cut off; a record that lands later than that is missed by
 * size windows (documented in docs/monitoring.md).
 */
import type { ClickHouse } from '../sink/clickhouse.js';

/** How windows are cut. */
export type WindowSpec = { readonly kind: 'size'; readonly rows: number } | { readonly kind: 'time'; readonly seconds: number };

/** A closed window: its time span, stream-sequence span and size. */
export interface MonitorWindow {
  readonly kind: 'size' | 'time';
  /** ms since epoch (first / last row for size windows; bucket bounds for time windows). */
  readonly start: number;
  readonly end: number;
  readonly seqFrom: number;
  readonly seqTo: number;
  readonly n: number;
}

/** Where the previous window ended. */
export interface WindowCursor {
  readonly seq: number;
  readonly timeMs: number;
}

interface SpanRow {
  n: string;
  seq_from: string;
  seq_to: string;
  t0: string;
  t1: string;
}

async function one<T>(ch: ClickHouse, query: string, params: Record<string, unknown>): Promise<T | undefined> {
  const rs = await ch.client.query({ query, query_params: params, format: 'JSONEachRow' });
  return (await rs.json<T>())[0];
}

const SPAN = `count() AS n, min(stream_seq) AS seq_from, max(stream_seq) AS seq_to,
  toUnixTimestamp64Milli(min(ingested_at)) AS t0, toUnixTimestamp64Milli(max(ingested_at)) AS t1`;

async function nextSizeWindow(ch: ClickHouse, rows: number, cursor: WindowCursor, nowMs: number, settleMs: number): Promise<MonitorWindow | undefined> {
  const r = await one<SpanRow>(
    ch,
    `SELECT ${SPAN} FROM (
       SELECT submission_id, stream_seq, ingested_at FROM ${ch.database}.surveys
       WHERE stream_seq > {cursor:UInt64} AND _deleted = 0
       ORDER BY stream_seq LIMIT 1 BY submission_id LIMIT {rows:UInt64})`,
    { cursor: cursor.seq, rows },
  );
  if (!r || Number(r.n) < rows || Number(r.t1) > nowMs - settleMs) return undefined;
  return { kind: 'size', start: Number(r.t0), end: Number(r.t1), seqFrom: Number(r.seq_from), seqTo: Number(r.seq_to), n: Number(r.n) };
}

async function nextTimeWindow(ch: ClickHouse, seconds: number, cursor: WindowCursor, nowMs: number, settleMs: number): Promise<MonitorWindow | undefined> {
  const first = await one<{ t: string | null }>(
    ch,
    `SELECT toUnixTimestamp64Milli(min(ingested_at)) AS t FROM ${ch.database}.surveys
     WHERE ingested_at >= fromUnixTimestamp64Milli({from:Int64}) AND _deleted = 0 HAVING count() > 0`,
    { from: cursor.timeMs },
  );
  if (!first?.t) return undefined;
  const width = seconds * 1000;
  const start = Math.floor(Number(first.t) / width) * width;
  const end = start + width;
  if (end > nowMs - settleMs) return undefined;
  const r = await one<SpanRow>(
    ch,
    `SELECT ${SPAN} FROM ${ch.database}.surveys
     WHERE ingested_at >= fromUnixTimestamp64Milli({start:Int64}) AND ingested_at < fromUnixTimestamp64Milli({end:Int64}) AND _deleted = 0`,
    { start, end },
  );
  return { kind: 'time', start, end, seqFrom: Number(r?.seq_from ?? 0), seqTo: Number(r?.seq_to ?? 0), n: Number(r?.n ?? 0) };
}

/** The next closed window after `cursor`, or undefined when none has closed yet. */
export function nextWindow(ch: ClickHouse, spec: WindowSpec, cursor: WindowCursor, nowMs: number, settleMs: number): Promise<MonitorWindow | undefined> {
  return spec.kind === 'size'
    ? nextSizeWindow(ch, spec.rows, cursor, nowMs, settleMs)
    : nextTimeWindow(ch, spec.seconds, cursor, nowMs, settleMs);
}

/** The cursor after a window. */
export function advance(w: MonitorWindow): WindowCursor {
  return { seq: w.seqTo, timeMs: w.kind === 'time' ? w.end : w.end + 1 };
}

/**
 * SQL predicate selecting a window's surveys (columns of `surveys`), with its parameters. Size
 * windows select by stream sequence, time windows by `ingested_at`.
 */
export function windowPredicate(w: MonitorWindow): { sql: string; params: Record<string, unknown> } {
  if (w.kind === 'size') {
    return { sql: 'stream_seq >= {seq_from:UInt64} AND stream_seq <= {seq_to:UInt64} AND _deleted = 0', params: { seq_from: w.seqFrom, seq_to: w.seqTo } };
  }
  return {
    sql: 'ingested_at >= fromUnixTimestamp64Milli({t_start:Int64}) AND ingested_at < fromUnixTimestamp64Milli({t_end:Int64}) AND _deleted = 0',
    params: { t_start: w.start, t_end: w.end },
  };
}

/** Where the monitor stopped last time for this model and window kind (the `monitor_windows` cursor). */
export async function loadCursor(ch: ClickHouse, modelVersion: string, kind: WindowSpec['kind']): Promise<WindowCursor> {
  const r = await one<{ seq: string; t: string }>(
    ch,
    `SELECT max(seq_to) AS seq, toUnixTimestamp64Milli(max(window_end)) AS t FROM ${ch.database}.monitor_windows
     WHERE model_version = {v:String} AND window_kind = {k:String}`,
    { v: modelVersion, k: kind },
  );
  const t = Number(r?.t ?? 0);
  return { seq: Number(r?.seq ?? 0), timeMs: kind === 'time' ? t : t + 1 };
}
