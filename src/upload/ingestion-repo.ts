/**
 * Ingestions in ClickHouse (migration 0004): the ingestion's row (a new version per step) and the
 * row errors of its file. What the worker made of the published rows is counted where it lives:
 * `surveys FINAL` and `rejections` by `ingestion_id` (filled by the worker from the
 * `Surveystream-Ingestion-Id` header), `predictions` through the stored submission ids.
 */
import { PipelineError } from '../errors.js';
import type { ClickHouse } from '../sink/clickhouse.js';
import type { RowError } from './rows.js';

/** Where an ingestion is. `published`: every valid row is on JetStream. */
export type IngestionPhase = 'receiving' | 'publishing' | 'published' | 'failed';

/** One version of an ingestion's row. Times are Unix ms. */
export interface IngestionRow {
  ingestion_id: string;
  phase: IngestionPhase;
  file_name: string;
  format: string;
  object_key: string;
  sha256: string;
  /** Keyed hash of the uploading device (empty without auth). */
  uploaded_by: string;
  metadata: Record<string, string>;
  bytes_received: number;
  rows_received: number;
  rows_rejected: number;
  rows_published: number;
  rows_duplicate: number;
  rejection_reasons: Record<string, number>;
  unknown_columns: string[];
  error: string;
  created_at: number;
  updated_at: number;
}

/** Counts of an ingestion's published rows downstream. */
export interface DownstreamCounts {
  stored: number;
  deadLettered: number;
  scored: number;
}

type Stored = Omit<IngestionRow, 'created_at' | 'updated_at'> & { created_ms: string; updated_ms: string };

function unavailable(err: unknown): PipelineError {
  return new PipelineError('UNAVAILABLE', `ingestion store (ClickHouse) failed: ${(err as Error).message}`, true, {
    cause: err,
    details: { 'retry-after-ms': '2000' },
  });
}

/** Reads and writes ingestions in ClickHouse; every failure is UNAVAILABLE (retryable). */
export class IngestionRepo {
  readonly #ch: ClickHouse;
  #lastVersion = 0;

  constructor(ch: ClickHouse) {
    this.#ch = ch;
  }

  #table(name: string): string {
    return `${this.#ch.database}.${name}`;
  }

  async #insert(table: string, values: readonly Record<string, unknown>[]): Promise<void> {
    if (values.length === 0) return;
    try {
      await this.#ch.client.insert({ table: this.#table(table), values, format: 'JSONEachRow' });
    } catch (err) {
      throw unavailable(err);
    }
  }

  async #select<T>(query: string, params: Record<string, unknown>): Promise<T[]> {
    try {
      const rs = await this.#ch.client.query({ query, query_params: params, format: 'JSONEachRow' });
      return await rs.json<T>();
    } catch (err) {
      throw unavailable(err);
    }
  }

  /** Writes a new version of the ingestion's row. */
  async save(row: IngestionRow): Promise<void> {
    this.#lastVersion = Math.max(this.#lastVersion + 1, Date.now() * 1000);
    await this.#insert('ingestions', [{ ...row, _version: this.#lastVersion }]);
  }

  /** The latest version of an ingestion's row. */
  async latest(id: string): Promise<IngestionRow | undefined> {
    const [row] = await this.#select<Stored>(
      `SELECT * EXCEPT (created_at, updated_at, _version), toUnixTimestamp64Milli(created_at) AS created_ms,
              toUnixTimestamp64Milli(updated_at) AS updated_ms
       FROM ${this.#table('ingestions')} WHERE ingestion_id = {id:String} ORDER BY _version DESC LIMIT 1`,
      { id },
    );
    if (!row) return undefined;
    const { created_ms, updated_ms, ...rest } = row;
    const num = (v: unknown): number => Number(v);
    return {
      ...rest,
      bytes_received: num(rest.bytes_received),
      rows_received: num(rest.rows_received),
      rows_rejected: num(rest.rows_rejected),
      rows_published: num(rest.rows_published),
      rows_duplicate: num(rest.rows_duplicate),
      rejection_reasons: Object.fromEntries(Object.entries(rest.rejection_reasons).map(([k, v]) => [k, num(v)])),
      created_at: num(created_ms),
      updated_at: num(updated_ms),
    };
  }

  /** Ingestions still receiving or publishing whose latest row was saved before `beforeMs`. */
  async abandoned(beforeMs: number): Promise<string[]> {
    const rows = await this.#select<{ id: string }>(
      `SELECT ingestion_id AS id FROM ${this.#table('ingestions')}
       GROUP BY ingestion_id
       HAVING argMax(phase, _version) IN ('receiving', 'publishing') AND argMax(updated_at, _version) < fromUnixTimestamp64Milli({before:Int64}, 'UTC')`,
      { before: beforeMs },
    );
    return rows.map((r) => r.id);
  }

  /** Keeps the row errors of a file. */
  async addRowErrors(id: string, errors: readonly RowError[]): Promise<void> {
    await this.#insert(
      'ingestion_row_errors',
      errors.map((e) => ({ ingestion_id: id, row: e.row, submission_id: e.submissionId, column: e.column, reason_code: e.reasonCode, message: e.message })),
    );
  }

  /** The first row errors of a file, in row order. */
  async rowErrors(id: string, limit: number): Promise<RowError[]> {
    const rows = await this.#select<{ row: string; submission_id: string; column: string; reason_code: string; message: string }>(
      `SELECT row, submission_id, \`column\`, reason_code, message FROM ${this.#table('ingestion_row_errors')} FINAL
       WHERE ingestion_id = {id:String} ORDER BY row, reason_code LIMIT {limit:UInt32}`,
      { id, limit },
    );
    return rows.map((r) => ({ row: Number(r.row), submissionId: r.submission_id, column: r.column, reasonCode: r.reason_code, message: r.message }));
  }

  /** What became of an ingestion's published rows: stored, dead-lettered (and not stored), scored. */
  async downstream(id: string): Promise<DownstreamCounts> {
    const stored = `(SELECT submission_id FROM ${this.#table('surveys')} FINAL WHERE ingestion_id = {id:String})`;
    const [row] = await this.#select<Record<keyof DownstreamCounts, string>>(
      `SELECT
         (SELECT count() FROM ${stored}) AS stored,
         (SELECT uniqExact(submission_id) FROM ${this.#table('rejections')}
            WHERE ingestion_id = {id:String} AND submission_id NOT IN ${stored}) AS deadLettered,
         (SELECT uniqExact(submission_id) FROM ${this.#table('predictions')} WHERE submission_id IN ${stored}) AS scored`,
      { id },
    );
    return { stored: Number(row?.stored ?? 0), deadLettered: Number(row?.deadLettered ?? 0), scored: Number(row?.scored ?? 0) };
  }
}
