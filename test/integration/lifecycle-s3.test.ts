/**
 * Issue #7 on the S3 backend: the registry (baseline + a retrained model, hot-swapped by the
 * worker from S3) and the raw archive against s3rver on loopback, and against MinIO through
 * testcontainers where a container runtime exists.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSurveys } from '../../src/domain/generator/index.js';
import { objectStoreFor, openRegistry } from '../../src/registry/context.js';
import { createS3Client } from '../../src/store/s3-client.js';
import { callControl } from '../../src/trainer/control.js';
import type { Decision } from '../../src/trainer/cycle.js';
import { eventually, startTestPipeline } from '../harness/pipeline.js';
import { publishJsonSurveys } from '../harness/publish.js';
import { HARNESS_ROOT } from '../harness/paths.js';
import { noContainerRuntime, startMinio, startS3rver } from '../harness/s3rver.js';

interface S3Conn {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
}

function lifecycleOnS3(conn: () => S3Conn): void {
  it('keeps the registry and the archive in S3 and hot-swaps a model loaded from S3', async () => {
    const c = conn();
    await using p = await startTestPipeline({
      'objectStore.url': `s3://${c.bucket}/surveystream`,
      'objectStore.endpoint': c.endpoint,
      'objectStore.forcePathStyle': true,
      'objectStore.accessKeyId': c.accessKeyId,
      'objectStore.secretAccessKey': c.secretAccessKey,
      'archive.enabled': true,
      'trainer.enabled': true,
      'archive.flushIntervalMs': 300,
      'monitor.enabled': false, // only the manual retrain below may change the champion
      'trainer.checkIntervalMs': 3_600_000,
      'trainer.minTrainingRows': 300,
      'trainer.trees': 20,
      'trainer.depth': 3,
      'trainer.promotionMargin': -1, // this test is about the S3 path, not the promotion rule
    });
    const { infra } = p.running;
    const store = await objectStoreFor(infra);
    expect(store.kind).toBe('s3');
    const registry = await openRegistry(infra, 'test');
    await eventually(async () => (await registry.active())?.version === '1.0.0');
    expect(await store.head('models/vulnerability/1.0.0/model.onnx')).toBeDefined();

    const surveys = [...generateSurveys({ seed: 51, count: 800, idPrefix: 's3-' })];
    await publishJsonSurveys(infra.bus.js, surveys);
    await eventually(async () => {
      const [r] = await p.query<{ n: string }>("SELECT count() AS n FROM {db}.predictions FINAL WHERE startsWith(submission_id, 's3-')");
      return Number(r?.n) === surveys.length;
    }, 60_000, 200);
    const decision = (await callControl(infra.bus.nc, { op: 'retrain', reason: 's3 test' }, 120_000)) as Decision;
    expect(decision.outcome).toBe('promoted');
    const version = decision.version!;
    expect(await store.head(`models/vulnerability/${version}/model.json`)).toBeDefined();
    expect((await registry.loadArtifact(version)).card.version).toBe(version);

    await eventually(async () => {
      // probe until the worker scores with the promoted version (the swap is asynchronous)
      const probe = [...generateSurveys({ seed: Date.now() % 100_000, count: 1, idPrefix: `s3p${Date.now()}-` })];
      await publishJsonSurveys(infra.bus.js, probe);
      const scoredBy = await eventually(async () => {
        const [r] = await p.query<{ v: string }>('SELECT model_version AS v FROM {db}.predictions FINAL WHERE submission_id = {id:String}', { id: probe[0]!.meta.submissionId });
        return r?.v;
      }, 10_000, 100);
      return scoredBy === version;
    }, 30_000, 50);
    const after = [...generateSurveys({ seed: 52, count: 100, idPrefix: 's3b-' })];
    await publishJsonSurveys(infra.bus.js, after);
    const versions = await eventually(async () => {
      const rows = await p.query<{ v: string; n: string }>("SELECT model_version AS v, count() AS n FROM {db}.predictions FINAL WHERE role = 'champion' AND startsWith(submission_id, 's3b-') GROUP BY v");
      return rows.reduce((a, r) => a + Number(r.n), 0) === after.length ? rows.map((r) => r.v) : undefined;
    }, 30_000, 200);
    expect(versions).toEqual([version]);

    const archived = await eventually(async () => {
      let n = 0;
      for await (const info of store.list('raw/')) {
        const lines = gunzipSync(await store.get(info.key)).toString().split('\n').filter(Boolean);
        n += lines.filter((l) => /"submission_id":"s3b?-/.test(l)).length; // probes left out
      }
      return n >= surveys.length + after.length ? n : undefined;
    }, 30_000, 300);
    expect(archived).toBe(surveys.length + after.length);
  });
}

describe('model lifecycle and archive on S3 (s3rver)', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startS3rver>> | undefined;
  let conn: S3Conn;
  beforeAll(async () => {
    await mkdir(HARNESS_ROOT, { recursive: true });
    dir = await mkdtemp(join(HARNESS_ROOT, 's3rver-lifecycle-'));
    server = await startS3rver(dir, 'lifecycle');
    conn = { endpoint: `http://127.0.0.1:${server.port}`, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', bucket: 'lifecycle' };
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });
  lifecycleOnS3(() => conn);
});

/** Cheap check before testcontainers tries (and fails slowly) to find a runtime. */

const noRuntime = noContainerRuntime();
describe.skipIf(noRuntime !== undefined)(`model lifecycle and archive on S3 (MinIO via testcontainers)${noRuntime ? ` (skipped: ${noRuntime})` : ''}`, () => {
  let container: { stop(): Promise<unknown> } | undefined;
  let conn: S3Conn;
  beforeAll(async () => {
    const minio = await startMinio();
    container = minio;
    conn = { endpoint: minio.endpoint, accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey, bucket: 'lifecycle' };
    const admin = createS3Client({ ...conn, forcePathStyle: true });
    await admin.send(new CreateBucketCommand({ Bucket: 'lifecycle' })).finally(() => admin.destroy());
  });
  afterAll(async () => {
    await container?.stop();
  });
  lifecycleOnS3(() => conn);
});
