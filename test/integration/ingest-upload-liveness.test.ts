/**
 * Uploads and gateways that stop: a running upload keeps its row fresh (heartbeats), so a slow
 * client is not mistaken for a dead gateway; an upload whose gateway stopped is reported FAILED
 * (interrupted) and swept, with its spool directory; another live gateway's upload is left alone;
 * and one gateway runs at most UPLOAD_MAX_CONCURRENT uploads at once.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Metadata, ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callMetadata } from '../../src/client/connection.js';
import { uploadFile } from '../../src/client/upload.js';
import { CSV_HEADER, toCsvRow } from '../../src/domain/generator/index.js';
import { FileFormat, IngestionState, type UploadFileResponse } from '../../src/gen/surveystream/v1/ingest.js';
import { newIngestionId } from '../../src/upload/header.js';
import { IngestionRepo, type IngestionRow } from '../../src/upload/ingestion-repo.js';
import { HARNESS_ROOT } from '../harness/paths.js';
import { eventually } from '../harness/pipeline.js';
import { publishJsonSurveys } from '../harness/publish.js';
import { detail, generated, grpcError, startSecurePipeline, status, type SecurePipeline } from './ingest-harness.js';

const HEARTBEAT_MS = 200;
const STALE_MS = 1500;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function runningRow(id: string, phase: 'receiving' | 'publishing', updatedAt: number): IngestionRow {
  return {
    ingestion_id: id, phase, file_name: 'x.csv', format: 'csv', object_key: '', sha256: '', uploaded_by: '', metadata: {},
    bytes_received: 10, rows_received: 5, rows_rejected: 0, rows_published: 3, rows_duplicate: 0, rejection_reasons: {},
    unknown_columns: [], error: '', created_at: updatedAt, updated_at: updatedAt,
  };
}

describe('upload liveness', () => {
  let s: SecurePipeline;
  let dir: string;
  let repo: IngestionRepo;
  let spoolDir: string;

  beforeAll(async () => {
    s = await startSecurePipeline({
      overrides: { 'monitor.enabled': 'false', 'grpc.maxConcurrentUploads': 1, 'grpc.uploadHeartbeatMs': HEARTBEAT_MS, 'grpc.uploadStaleAfterMs': STALE_MS },
    });
    dir = mkdtempSync(join(HARNESS_ROOT, 'live-files-'));
    repo = new IngestionRepo(s.p.running.infra.ch);
    spoolDir = join(s.p.dataDir, 'spool');
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await s?.[Symbol.asyncDispose]();
  });

  it('keeps a slow upload alive past the stale limit, and refuses a second upload beyond the limit of one', async () => {
    const lines = [CSV_HEADER.join(','), ...generated(41, 50, 'live-slow-').map(toCsvRow)];
    let id = '';
    const response = new Promise<UploadFileResponse>((resolve, reject) => {
      const call = s.ingest.raw.uploadFile(callMetadata(s.token), { deadline: Date.now() + 60_000 }, (err: ServiceError | null, res) => (err ? reject(err) : resolve(res)));
      call.on('metadata', (md: Metadata) => (id = String(md.get('x-ingestion-id')[0] ?? '')));
      call.write({ header: { fileName: 'slow.csv', format: FileFormat.FILE_FORMAT_CSV, metadata: {} } });
      call.write({ chunk: Buffer.from(lines.slice(0, 20).join('\n') + '\n') });
      // The client goes quiet for longer than the stale limit, then sends the rest.
      void sleep(STALE_MS * 1.8).then(async () => {
        expect(existsSync(join(spoolDir, id))).toBe(true); // not swept
        const st = await s.ingest.status(id);
        expect(st.state, st.error).toBe(IngestionState.INGESTION_STATE_RUNNING);
        expect(st.bytesReceived).toBeGreaterThan(0); // the heartbeat carries the progress
        expect(Date.now() - st.updatedAtMs).toBeLessThan(STALE_MS); // saved again while the client was quiet
        const other = join(dir, 'second.csv');
        writeFileSync(other, lines.join('\n'));
        const err = await grpcError(uploadFile(s.ingest, { path: other }));
        expect(err.code).toBe(status.RESOURCE_EXHAUSTED);
        expect(detail(err, 'x-detail-reason')).toBe('too_many_uploads');
        expect(detail(err, 'x-detail-retry-after-ms')).toBe('5000');
        call.write({ chunk: Buffer.from(lines.slice(20).join('\n') + '\n') });
        call.end();
      }, reject);
    });
    const res = await response;
    expect(res.status!.rowsReceived).toBe(50);
    const done = await eventually(async () => {
      const st = await s.ingest.status(id);
      return st.state === IngestionState.INGESTION_STATE_COMPLETE ? st : undefined;
    }, 30_000, 200);
    expect(done.rowsStored).toBe(50);
    // The slot is free again.
    const path = join(dir, 'third.csv');
    writeFileSync(path, [CSV_HEADER.join(','), ...generated(42, 5, 'live-third-').map(toCsvRow)].join('\n'));
    expect((await uploadFile(s.ingest, { path })).status.rowsReceived).toBe(5);
  });

  it('reports an upload whose gateway stopped as FAILED, sweeps it and its spool, and leaves a live gateway alone', async () => {
    const dead = newIngestionId();
    const live = newIngestionId();
    await repo.save(runningRow(dead, 'publishing', Date.now() - 10 * STALE_MS));
    // The dead gateway had published 3 rows of its file before it stopped; they were stored.
    await publishJsonSurveys(s.p.running.infra.bus.js, generated(43, 3, 'live-dead-'), 500, dead);
    await repo.save(runningRow(live, 'receiving', Date.now()));
    for (const id of [dead, live]) {
      mkdirSync(join(spoolDir, id), { recursive: true });
      writeFileSync(join(spoolDir, id, 'x.csv'), 'a,b\n');
    }
    // Read side: FAILED at once, whether or not a sweep ran yet.
    const st = await s.ingest.status(dead);
    expect(st.state).toBe(IngestionState.INGESTION_STATE_FAILED);
    expect(st.error).toMatch(/^interrupted while publishing its rows: no progress since .*upload the file again/);
    expect(st.rowsPublished).toBe(3);
    await eventually(async () => (await s.ingest.status(dead)).rowsStored === 3, 20_000, 100); // what it did publish is accounted for
    // The "other gateway" keeps its upload alive for a while: it must survive the sweeps.
    const until = Date.now() + STALE_MS * 2;
    while (Date.now() < until) {
      await repo.save(runningRow(live, 'receiving', Date.now()));
      await sleep(HEARTBEAT_MS);
    }
    await eventually(async () => (await repo.latest(dead))?.phase === 'failed' && !existsSync(join(spoolDir, dead)), 10_000, 100);
    expect((await repo.latest(dead))?.error).toMatch(/^interrupted while publishing/);
    expect((await s.ingest.status(live)).state).toBe(IngestionState.INGESTION_STATE_RUNNING);
    expect(existsSync(join(spoolDir, live, 'x.csv'))).toBe(true);
    // ... until it stops too.
    await eventually(async () => (await repo.latest(live))?.phase === 'failed' && !existsSync(join(spoolDir, live)), 10_000, 100);
    expect((await s.ingest.status(live)).error).toMatch(/^interrupted while receiving or checking the file/);
  });
});
