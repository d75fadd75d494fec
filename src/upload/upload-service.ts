/**
 * `IngestService.UploadFile` and `GetIngestionStatus`.
 *
 * 1. Header → the ingestion id, sent at once in the initial metadata (`x-ingestion-id`).
 * 2. Chunks → a spool file (size limit, SHA-256, UTF-8 check for text formats); reading follows
 *    the disk, so HTTP/2 flow control paces the client.
 * 3. End of the client stream → the checking pass over the spool (columns, structure, row limit,
 *    per-row errors). A file-level error ends the call with INVALID_ARGUMENT or RESOURCE_EXHAUSTED
 *    (`x-detail-reason`, `x-detail-ingestion-id`): nothing is published, nothing is stored.
 * 4. The original goes to the object store; the response carries the id and counts (RUNNING).
 * 5. In the background the publishing pass sends the valid rows to JetStream; GetIngestionStatus
 *    follows them through the worker (stored, dead-lettered, scored).
 *
 * At most `maxConcurrent` uploads run per gateway (receiving to published); more are refused with
 * RESOURCE_EXHAUSTED. A running upload's row is saved every `heartbeatMs`; a row older than
 * `staleAfterMs` belongs to a gateway that stopped, and a sweep (at start, then periodically)
 * records it FAILED and deletes its spool directory.
 */
import { readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Metadata, type ServerReadableStream, type sendUnaryData } from '@grpc/grpc-js';
import type { IngestionStatus, UploadFileRequest, UploadFileResponse } from '../gen/surveystream/v1/ingest.js';
import { PipelineError, toGrpcStatus } from '../errors.js';
import { logFailure, type CallContext, type JetStreamPublisher, type Principal } from '../ingest/index.js';
import { isTextFormat } from './formats.js';
import { checkDeclaredSize, checkHeader, newIngestionId, type UploadInfo } from './header.js';
import type { IngestionRepo, IngestionRow } from './ingestion-repo.js';
import { uploadKey, type UploadObjects } from './object-sink.js';
import { publishRows } from './publish-rows.js';
import { checkFile, type CheckReport, type ScanContext } from './scan.js';
import { Spool, type SpooledFile } from './spool.js';
import { interruptedError, isInterrupted, readIngestionStatus, STATUS_ROW_ERRORS, toStatus } from './status.js';
import { errorText, type UploadLimits } from './types.js';

/** What uploads need. */
export interface UploadServiceDeps extends CallContext {
  readonly publisher: JetStreamPublisher;
  readonly repo: IngestionRepo;
  readonly objects: UploadObjects;
  readonly limits: UploadLimits;
  readonly spoolDir: string;
  /** Rows of one upload waiting for their PubAck. */
  readonly publishWindow: number;
  /** Keyed hash for personal values (device and officer ids). */
  readonly hashPii: (value: string) => string;
  /** Uploads running at once (receiving to published). */
  readonly maxConcurrent: number;
  /** A running upload's row is saved this often, ms. */
  readonly heartbeatMs: number;
  /** A running upload whose row is older than this was interrupted, ms. */
  readonly staleAfterMs: number;
}

type UploadCall = ServerReadableStream<UploadFileRequest, UploadFileResponse>;

const PII_METADATA = new Set(['device_id', 'field_officer_id']);
const PUBLISH_ATTEMPTS = 20;
const PROGRESS_EVERY_MS = 1000;
const INGESTION_ID = /^ing-\d{14}-[0-9a-f]{10}$/;

/** Reads a client stream message by message; rejects when the client cancels. */
class CallReader {
  readonly #iter: AsyncIterator<UploadFileRequest>;
  readonly #cancelled: Promise<never>;

  constructor(call: UploadCall) {
    this.#iter = (call as AsyncIterable<UploadFileRequest>)[Symbol.asyncIterator]();
    this.#cancelled = new Promise<never>((_, reject) => {
      call.once('cancelled', () => reject(new PipelineError('TIMEOUT', 'the client cancelled the upload', false)));
    });
    this.#cancelled.catch(() => undefined);
  }

  async next(): Promise<UploadFileRequest | undefined> {
    const r = await Promise.race([this.#iter.next(), this.#cancelled]);
    return r.done ? undefined : r.value;
  }
}

function withIngestionId(err: unknown, id: string): unknown {
  if (!(err instanceof PipelineError)) return err;
  return new PipelineError(err.code, err.message, err.retryable, { cause: err, details: { ...err.details, 'ingestion-id': id } });
}

/** UploadFile and GetIngestionStatus, with the background publishing of accepted files. */
export class UploadService implements AsyncDisposable {
  readonly #deps: UploadServiceDeps;
  readonly #running = new Set<Promise<void>>();
  readonly #abort = new AbortController();
  /** Ingestion ids this gateway is working on (receiving to published). */
  readonly #live = new Set<string>();
  #slots = 0;
  #sweeper: NodeJS.Timeout | undefined;

  constructor(deps: UploadServiceDeps) {
    this.#deps = deps;
  }

  /** Sweeps what stopped gateways left behind now, then every half `staleAfterMs`. */
  async start(): Promise<void> {
    await this.sweep();
    this.#sweeper = setInterval(() => void this.sweep(), Math.max(1000, Math.floor(this.#deps.staleAfterMs / 2)));
    this.#sweeper.unref();
  }

  /**
   * Records interrupted ingestions FAILED and deletes spool directories no live upload owns (this
   * gateway's, or another's whose row is fresh). Failures are logged: the next sweep retries.
   */
  async sweep(): Promise<{ failed: number; spoolsRemoved: number }> {
    const { repo, log, staleAfterMs, spoolDir } = this.#deps;
    let failed = 0;
    let spoolsRemoved = 0;
    try {
      for (const id of await repo.abandoned(Date.now() - staleAfterMs)) {
        const row = await repo.latest(id);
        if (!row || this.#live.has(id) || !isInterrupted(row, staleAfterMs)) continue;
        await repo.save({ ...row, phase: 'failed', error: interruptedError(row), updated_at: Date.now() });
        failed += 1;
        log.warn({ ingestionId: id, phase: row.phase, lastProgress: new Date(row.updated_at).toISOString() }, 'interrupted upload recorded as failed');
      }
      const entries = await readdir(spoolDir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (!entry.isDirectory() || !INGESTION_ID.test(entry.name) || this.#live.has(entry.name)) continue;
        const row = await repo.latest(entry.name);
        if (row && (row.phase === 'receiving' || row.phase === 'publishing') && !isInterrupted(row, staleAfterMs)) continue; // another gateway's
        await rm(join(spoolDir, entry.name), { recursive: true, force: true });
        spoolsRemoved += 1;
      }
    } catch (err) {
      log.warn({ err }, 'upload sweep failed; retrying at the next one');
    }
    if (failed + spoolsRemoved > 0) log.info({ failed, spoolsRemoved }, 'upload sweep');
    return { failed, spoolsRemoved };
  }

  /** The grpc-js UploadFile handler. */
  readonly handler = (call: UploadCall, callback: sendUnaryData<UploadFileResponse>): void => {
    this.#handle(call).then(
      (res) => {
        this.#deps.metrics.grpcRequests.inc({ method: 'UploadFile', code: 'OK' });
        callback(null, res);
      },
      (err: unknown) => {
        const st = toGrpcStatus(err);
        this.#deps.metrics.grpcRequests.inc({ method: 'UploadFile', code: String(st.code) });
        logFailure(this.#deps.log, 'UploadFile', err);
        callback(st, null);
      },
    );
  };

  /** GetIngestionStatus. */
  status(id: string): Promise<IngestionStatus> {
    return readIngestionStatus(this.#deps.repo, id, this.#deps.staleAfterMs);
  }

  /** Stops background publishing (its ingestions end FAILED, resumable by uploading again). */
  async [Symbol.asyncDispose](): Promise<void> {
    clearInterval(this.#sweeper);
    this.#abort.abort(new PipelineError('UNAVAILABLE', 'the gateway shut down while publishing', true));
    await Promise.allSettled([...this.#running]);
  }

  /** Takes one of the `maxConcurrent` upload slots, or refuses with RESOURCE_EXHAUSTED. */
  #takeSlot(): () => void {
    const { maxConcurrent } = this.#deps;
    if (this.#slots >= maxConcurrent) {
      throw new PipelineError('RESOURCE_EXHAUSTED', `this gateway is already handling ${maxConcurrent} uploads; retry later`, true, {
        details: { reason: 'too_many_uploads', 'limit-uploads': String(maxConcurrent), 'retry-after-ms': '5000' },
      });
    }
    this.#slots += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#slots -= 1;
    };
  }

  /**
   * Saves a snapshot of a running upload's row (progress, liveness) without waiting; a failed save
   * is logged, and the next heartbeat or the final save writes the row again.
   */
  #saveInterim(row: IngestionRow): void {
    void this.#deps.repo.save({ ...row, updated_at: Date.now() }).catch((err: unknown) => this.#deps.log.warn({ err, ingestionId: row.ingestion_id }, 'interim ingestion row not saved'));
  }

  /** Saves the row every heartbeat while the upload runs, so others can tell it is alive. */
  #heartbeat(row: IngestionRow, bytes: () => number): () => void {
    const timer = setInterval(() => {
      if (row.phase === 'receiving') row.bytes_received = bytes();
      this.#saveInterim(row);
    }, this.#deps.heartbeatMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  async #handle(call: UploadCall): Promise<UploadFileResponse> {
    const principal = await this.#deps.auth.authenticate(call.metadata);
    const release = this.#takeSlot();
    let id: string | undefined;
    let stopBeat: (() => void) | undefined;
    let published = false;
    try {
      const reader = new CallReader(call);
      const info = checkHeader((await reader.next())?.header);
      id = newIngestionId();
      const md = new Metadata();
      md.set('x-ingestion-id', id);
      call.sendMetadata(md);
      const row = this.#initialRow(id, info, principal);
      this.#live.add(id);
      await this.#deps.repo.save(row);
      const spool = await Spool.open(join(this.#deps.spoolDir, id, info.safeName), {
        maxBytes: this.#deps.limits.maxBytes,
        utf8: isTextFormat(info.format),
      });
      stopBeat = this.#heartbeat(row, () => spool.bytes);
      try {
        checkDeclaredSize(info, this.#deps.limits.maxBytes);
        const file = await this.#receive(reader, spool);
        Object.assign(row, { bytes_received: file.bytes, sha256: file.sha256 });
        const ctx = this.#scanContext(info, file);
        const report = await checkFile(ctx);
        row.object_key = uploadKey(id, info.safeName);
        await this.#deps.objects.putFile(row.object_key, file.path, { contentType: contentTypeOf(info), metadata: { 'ingestion-id': id, sha256: file.sha256 } });
        await this.#accept(row, report);
        this.#startPublishing(row, ctx, () => {
          stopBeat?.();
          release();
        });
        published = true;
        return { status: toStatus(row, { stored: 0, deadLettered: 0, scored: 0 }, report.errors.slice(0, STATUS_ROW_ERRORS)) };
      } catch (err) {
        stopBeat();
        await spool.discard();
        await this.#fail(row, spool.bytes, err);
        throw err;
      }
    } catch (err) {
      throw id ? withIngestionId(err, id) : err;
    } finally {
      if (!published) {
        stopBeat?.();
        if (id) this.#live.delete(id);
        release();
      }
    }
  }

  async #receive(reader: CallReader, spool: Spool): Promise<SpooledFile> {
    for (let msg = await reader.next(); msg; msg = await reader.next()) {
      if (msg.header) throw new PipelineError('INVALID_ARGUMENT', 'the header was sent twice', false, { details: { field: 'header' } });
      if (msg.chunk) await spool.write(msg.chunk);
    }
    return spool.finish();
  }

  #initialRow(id: string, info: UploadInfo, principal: Principal): IngestionRow {
    const now = Date.now();
    const metadata = Object.fromEntries(
      Object.entries(info.metadata).map(([k, v]) => [k, PII_METADATA.has(k) ? this.#deps.hashPii(v) : v]),
    );
    return {
      ingestion_id: id, phase: 'receiving', file_name: info.fileName, format: info.format, object_key: '', sha256: '',
      uploaded_by: principal.deviceId ? this.#deps.hashPii(principal.deviceId) : '', metadata,
      bytes_received: 0, rows_received: 0, rows_rejected: 0, rows_published: 0, rows_duplicate: 0,
      rejection_reasons: {}, unknown_columns: [], error: '', created_at: now, updated_at: now,
    };
  }

  #scanContext(info: UploadInfo, file: SpooledFile): ScanContext {
    return {
      format: info.format,
      path: file.path,
      limits: this.#deps.limits,
      defaults: {
        idPrefix: file.sha256.slice(0, 16),
        deviceId: info.metadata['device_id'] ?? 'upload',
        fieldOfficerId: info.metadata['field_officer_id'] ?? '',
      },
    };
  }

  async #accept(row: IngestionRow, report: CheckReport): Promise<void> {
    Object.assign(row, {
      phase: 'publishing',
      rows_received: report.rowsReceived,
      rows_rejected: report.rowsRejected,
      rejection_reasons: { ...report.reasons },
      unknown_columns: [...report.unknownColumns],
      updated_at: Date.now(),
    });
    await this.#deps.repo.addRowErrors(row.ingestion_id, report.errors);
    await this.#deps.repo.save(row);
  }

  async #fail(row: IngestionRow, bytes: number, err: unknown): Promise<void> {
    Object.assign(row, { phase: 'failed', bytes_received: bytes, error: errorText(err), updated_at: Date.now() });
    await this.#deps.repo.save(row).catch((e: unknown) => this.#deps.log.error({ err: e, ingestionId: row.ingestion_id }, 'cannot record a failed ingestion'));
  }

  #startPublishing(row: IngestionRow, ctx: ScanContext, done: () => void): void {
    const run = this.#publish(row, ctx, done)
      .catch((err: unknown) => this.#deps.log.error({ err, ingestionId: row.ingestion_id }, 'upload publishing failed'))
      .finally(async () => {
        done();
        await rm(dirname(ctx.path), { recursive: true, force: true });
        this.#live.delete(row.ingestion_id);
      });
    this.#running.add(run);
    void run.finally(() => this.#running.delete(run));
  }

  /** Publishes the valid rows; `stopBeat` ends the heartbeat before the final save. */
  async #publish(row: IngestionRow, ctx: ScanContext, stopBeat: () => void): Promise<void> {
    const { repo, publisher, publishWindow } = this.#deps;
    let lastSave = Date.now();
    const id = row.ingestion_id;
    try {
      const counts = await publishRows(
        ctx,
        id,
        { publisher, window: publishWindow, maxAttempts: PUBLISH_ATTEMPTS, signal: this.#abort.signal },
        (c) => {
          Object.assign(row, { rows_published: c.published, rows_duplicate: c.duplicate });
          if (Date.now() - lastSave < PROGRESS_EVERY_MS) return;
          lastSave = Date.now();
          this.#saveInterim(row);
        },
      );
      Object.assign(row, { phase: 'published', rows_published: counts.published, rows_duplicate: counts.duplicate });
      if (counts.refused.length > 0) {
        row.rows_rejected += counts.refused.length;
        row.rejection_reasons = { ...row.rejection_reasons, 'row.refused': counts.refused.length };
        await repo.addRowErrors(id, counts.refused);
      }
    } catch (err) {
      row.phase = 'failed';
      row.error = `publishing stopped: ${errorText(err)}; rows already published are kept; upload the file again to finish (resent rows are deduplicated)`;
    }
    stopBeat();
    row.updated_at = Date.now();
    await repo.save(row);
  }
}

function contentTypeOf(info: UploadInfo): string {
  switch (info.format) {
    case 'csv':
      return 'text/csv';
    case 'json':
      return 'application/json';
    case 'ndjson':
      return 'application/x-ndjson';
    case 'parquet':
      return 'application/vnd.apache.parquet';
    case 'xlsx':
      return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  }
}
