/**
 * The training set: labelled surveys from ClickHouse (`surveys FINAL`, newest `maxRows`), in
 * stream-time order, split by time into the rows a candidate trains on and the newest held-out
 * window on which candidate AND champion are both evaluated.
 */
import { deriveLabel } from '../domain/labels.js';
import type { ClickHouse } from '../sink/clickhouse.js';
import type { LabelledSurvey } from '../train/train-model.js';

/** A labelled survey with its stream time. */
export interface TimedSurvey extends LabelledSurvey {
  /** Stream time (received_at), epoch ms. */
  readonly receivedMs: number;
}

/**
 * The newest `maxRows` labelled surveys as ClickHouse returned them (JSONEachRow, newest first).
 * The text is handed to the training thread unparsed: parsing 100k rows takes about a second, and
 * that second belongs off the event loop that scores records. {@link parseLabelled} reads it.
 */
export async function loadLabelledText(ch: ClickHouse, maxRows: number): Promise<string> {
  const rs = await ch.client.query({
    query: `SELECT * EXCEPT (household_id_enc), toString(toUnixTimestamp64Milli(received_at)) AS received_ms
              FROM ${ch.database}.surveys FINAL
             WHERE progress_status IS NOT NULL AND _deleted = 0
             ORDER BY received_at DESC, submission_id DESC
             LIMIT {max:UInt32}`,
    query_params: { max: maxRows },
    format: 'JSONEachRow',
  });
  return rs.text();
}

/** The labelled surveys in {@link loadLabelledText}'s text, oldest first; `date` is the ISO stream time. */
export function parseLabelled(text: string): TimedSurvey[] {
  const rows: TimedSurvey[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const values = JSON.parse(line) as Record<string, string | number | null>;
    if (deriveLabel(values) === null) continue;
    const receivedMs = Number(values['received_ms']);
    rows.push({ values, receivedMs, date: new Date(receivedMs).toISOString() });
  }
  return rows.reverse();
}

/** Labelled surveys received after `sinceMs` (the trigger "enough new labels"). */
export async function countLabelledSince(ch: ClickHouse, sinceMs: number): Promise<number> {
  const rs = await ch.client.query({
    query: `SELECT count() AS n FROM ${ch.database}.surveys FINAL
             WHERE progress_status IS NOT NULL AND _deleted = 0 AND received_at > fromUnixTimestamp64Milli({since:Int64}, 'UTC')`,
    query_params: { since: sinceMs },
    format: 'JSONEachRow',
  });
  const [r] = await rs.json<{ n: string }>();
  return Number(r?.n ?? 0);
}

/** Splits time-ordered rows: the newest `holdoutShare` is the evaluation window. */
export function splitHoldout<T>(rows: readonly T[], holdoutShare: number): { train: T[]; holdout: T[] } {
  const cut = Math.floor(rows.length * (1 - holdoutShare));
  return { train: rows.slice(0, cut), holdout: rows.slice(cut) };
}

/** 1 = vulnerable, 0 = not; rows without a label must have been filtered out before. */
export function labelsOf(rows: readonly LabelledSurvey[]): Float32Array {
  return Float32Array.from(rows, (r) => (deriveLabel(r.values)?.isVulnerable ? 1 : 0));
}
