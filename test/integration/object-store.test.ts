/**
 * One contract suite, three backends: local files, S3 through s3rver (in-process, loopback, random
 * port), and MinIO through testcontainers when a container runtime is present.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelineError } from '../../src/errors.js';
import { applyRetention, openObjectStore, type ObjectInfo, type ObjectStore, type ObjectStoreOptions } from '../../src/store/index.js';
import { createS3Client } from '../../src/store/s3-client.js';
import { S3ObjectStore } from '../../src/store/s3-store.js';
import { HARNESS_ROOT } from '../harness/paths.js';
import { noContainerRuntime, startMinio, startS3rver } from '../harness/s3rver.js';

const MiB = 1024 * 1024;
const TUNING = { partSizeBytes: 5 * MiB, multipartThresholdBytes: 5 * MiB, listPageSize: 100 } as const;

/** S3 commands a store sent; `uploadId` is the input's or, for CreateMultipartUpload, the output's. */
interface Sent {
  name: string;
  uploadId?: string;
}

interface Opened {
  store: ObjectStore;
  /** Commands sent by this store (S3 backends only). */
  sent?: Sent[];
}

interface Backend {
  open(): Promise<Opened>;
}

type S3Conn = Pick<ObjectStoreOptions, 'endpoint' | 'accessKeyId' | 'secretAccessKey'> & { bucket: string };

function recordingClient(conn: S3Conn): { client: S3Client; sent: Sent[] } {
  const client = createS3Client({ ...conn, forcePathStyle: true });
  const sent: Sent[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const entry: Sent = { name: context.commandName ?? '?' };
      const input = args.input as { UploadId?: string };
      if (input.UploadId !== undefined) entry.uploadId = input.UploadId;
      sent.push(entry); // before sending, so failed requests are recorded too
      const out = await next(args);
      entry.uploadId ??= (out.output as { UploadId?: string }).UploadId;
      return out;
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  return { client, sent };
}

function s3Backend(conn: () => S3Conn): Backend {
  return {
    open: async () => {
      const { client, sent } = recordingClient(conn());
      const store = new S3ObjectStore(client, { bucket: conn().bucket, prefix: 'contract' }, TUNING);
      await store.verify();
      return { store, sent };
    },
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return err instanceof PipelineError ? err.code : `not a PipelineError: ${String(err)}`;
  }
}

async function collect(iterable: AsyncIterable<ObjectInfo>): Promise<ObjectInfo[]> {
  const out: ObjectInfo[] = [];
  for await (const info of iterable) out.push(info);
  return out;
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function streamSha256(stream: Readable): Promise<{ hash: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { hash: hash.digest('hex'), bytes };
}

/** `data` in 64 KiB chunks, then (optionally) a failure. */
function chunked(data: Buffer, failWith?: Error): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += 64 * 1024) yield data.subarray(i, i + 64 * 1024);
      if (failWith) throw failWith;
    })(),
  );
}

const count = (sent: Sent[] | undefined, name: string): number => sent?.filter((s) => s.name === name).length ?? 0;

function contractSuite(backend: () => Backend): void {
  let opened: Opened;
  const ns = (): string => `${randomUUID().slice(0, 8)}/`;

  beforeAll(async () => {
    opened = await backend().open();
  });
  afterAll(async () => {
    await opened?.store[Symbol.asyncDispose]();
  });

  it('puts, gets and heads bytes and strings', async () => {
    const { store } = opened;
    const p = ns();
    const put = await store.put(`${p}a.bin`, new Uint8Array([0, 1, 2, 255]));
    expect(put).toMatchObject({ key: `${p}a.bin`, size: 4 });
    await store.put(`${p}b.txt`, 'héllo wörld');
    expect([...(await store.get(`${p}a.bin`))]).toEqual([0, 1, 2, 255]);
    expect((await store.get(`${p}b.txt`)).toString('utf8')).toBe('héllo wörld');
    const info = await store.head(`${p}b.txt`);
    expect(info).toMatchObject({ key: `${p}b.txt`, size: Buffer.byteLength('héllo wörld') });
    expect(Math.abs(info!.lastModified.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('keeps metadata and content type, and replaces them on overwrite', async () => {
    const { store } = opened;
    const key = `${ns()}models/risk/1/model.json`;
    await store.put(key, '{}', { contentType: 'application/json', metadata: { Sha256: 'abc', version: '1' } });
    expect(await store.head(key)).toMatchObject({ contentType: 'application/json', metadata: { sha256: 'abc', version: '1' } });
    await store.put(key, '{"v":2}', { metadata: { version: '2' } });
    expect((await store.head(key))?.metadata).toEqual({ version: '2' });
  });

  it('answers NOT_FOUND for a missing key, and head answers undefined', async () => {
    const { store } = opened;
    const key = `${ns()}missing`;
    expect(await codeOf(store.get(key))).toBe('NOT_FOUND');
    expect(await codeOf(store.getStream(key))).toBe('NOT_FOUND');
    expect(await codeOf(store.copy(key, `${key}-copy`))).toBe('NOT_FOUND');
    expect(await store.head(key)).toBeUndefined();
  });

  it('rejects unsafe keys with INVALID_ARGUMENT', async () => {
    for (const key of ['../x', '/abs', 'a//b', 'a\u0000b', '']) expect(await codeOf(opened.store.put(key, 'x'))).toBe('INVALID_ARGUMENT');
  });

  it('lists by prefix in key order, across pages', async () => {
    const { store, sent } = opened;
    const p = ns();
    const keys = Array.from({ length: 250 }, (_, i) => `${p}raw/date=2024-05-01/hour=${String(i % 24).padStart(2, '0')}/b${i}.ndjson.gz`);
    for (let i = 0; i < keys.length; i += 25) await Promise.all(keys.slice(i, i + 25).map((k) => store.put(k, 'x')));
    await store.put(`${p}rawx`, 'x'); // not "raw-other": s3rver lists "-" after "/" (docs/object-store.md)
    const listsBefore = count(sent, 'ListObjectsV2Command');
    const listed = await collect(store.list(`${p}raw/`));
    expect(listed.map((i) => i.key)).toEqual([...keys].sort());
    expect(listed.every((i) => i.size === 1 && i.lastModified instanceof Date)).toBe(true);
    if (sent) expect(count(sent, 'ListObjectsV2Command') - listsBefore).toBe(3); // 250 keys / 100 per page
    expect((await collect(store.list(`${p}raw/date=2024-05-01/hour=0`))).length).toBe(10 * 11);
    expect((await collect(store.list(`${p}raw`))).length).toBe(251);
    expect(await collect(store.list(`${p}nothing/`))).toEqual([]);
  });

  it('streams 12 MiB through a multipart upload and back byte for byte', async () => {
    const { store, sent } = opened;
    const key = `${ns()}uploads/ing-1/big.bin`;
    const data = randomBytes(12 * MiB);
    const put = await store.put(key, chunked(data), { contentType: 'application/octet-stream', metadata: { origin: 'test' } });
    expect(put.size).toBe(data.length);
    expect(await streamSha256(await store.getStream(key))).toEqual({ hash: sha256(data), bytes: data.length });
    expect(sha256(await store.get(key))).toBe(sha256(data));
    expect((await store.head(key))?.metadata).toEqual({ origin: 'test' });
    if (sent) expect(count(sent, 'UploadPartCommand')).toBeGreaterThanOrEqual(3); // 5 + 5 + 2 MiB
  });

  it('uploads a buffered body above the threshold in parts', async () => {
    const { store, sent } = opened;
    const key = `${ns()}big-buffer.bin`;
    const data = randomBytes(6 * MiB);
    const partsBefore = count(sent, 'UploadPartCommand');
    expect((await store.put(key, data)).size).toBe(data.length);
    expect(sha256(await store.get(key))).toBe(sha256(data));
    if (sent) expect(count(sent, 'UploadPartCommand') - partsBefore).toBe(2);
  });

  it('leaves no object and aborts the multipart upload when the source fails', async () => {
    const { store, sent } = opened;
    const key = `${ns()}broken.bin`;
    const failure = await codeOf(store.put(key, chunked(randomBytes(7 * MiB), new Error('source broke'))));
    expect(failure).toBeDefined();
    expect(await store.head(key)).toBeUndefined();
    if (sent) {
      const created = sent.filter((s) => s.name === 'CreateMultipartUploadCommand').at(-1);
      expect(created?.uploadId).toBeDefined();
      expect(sent.some((s) => s.name === 'AbortMultipartUploadCommand' && s.uploadId === created?.uploadId)).toBe(true);
    }
  });

  it('aborts an unfinished upload on dispose, and dispose is idempotent', async () => {
    const { store, sent } = await backend().open();
    const source = new PassThrough();
    source.write(randomBytes(6 * MiB)); // more than a part: a multipart upload starts
    const pending = store.put(`${ns()}never-finished.bin`, source);
    const started = (): boolean => (sent ? count(sent, 'UploadPartCommand') > 0 : source.readableLength === 0);
    for (let i = 0; i < 200 && !started(); i++) await new Promise((r) => setTimeout(r, 25));
    await Promise.all([store[Symbol.asyncDispose](), store[Symbol.asyncDispose]()]);
    expect(await codeOf(pending)).toBe('UNAVAILABLE');
    expect(source.destroyed).toBe(true);
    if (sent) expect(count(sent, 'AbortMultipartUploadCommand')).toBeGreaterThanOrEqual(1);
    expect(await codeOf(store.get('x'))).toBe('UNAVAILABLE');
  });

  it('deletes one or many keys; missing keys are no error', async () => {
    const { store } = opened;
    const p = ns();
    for (const k of ['a', 'b', 'c', 'd/e']) await store.put(`${p}${k}`, k);
    await store.delete(`${p}a`);
    await store.delete([`${p}b`, `${p}d/e`, `${p}never-existed`]);
    await store.delete([]);
    expect((await collect(store.list(p))).map((i) => i.key)).toEqual([`${p}c`]);
    expect(await codeOf(store.get(`${p}a`))).toBe('NOT_FOUND');
  });

  it('copies data with metadata', async () => {
    const { store } = opened;
    const p = ns();
    await store.put(`${p}src/model.onnx`, 'onnx-bytes', { contentType: 'application/octet-stream', metadata: { sha256: 'f00' } });
    await store.copy(`${p}src/model.onnx`, `${p}dst/model.onnx`);
    expect((await store.get(`${p}dst/model.onnx`)).toString()).toBe('onnx-bytes');
    expect(await store.head(`${p}dst/model.onnx`)).toMatchObject({ size: 10, metadata: { sha256: 'f00' } });
  });

  it('retention deletes only objects older than the max age', async () => {
    const { store } = opened;
    const p = ns();
    for (const k of ['raw/old-1', 'raw/old-2', 'keep/old-3']) await store.put(`${p}${k}`, 'x');
    await new Promise((r) => setTimeout(r, 1100)); // S3 LastModified has one-second resolution
    for (const k of ['raw/new-1', 'raw/new-2']) await store.put(`${p}${k}`, 'x');
    const infos = await collect(store.list(p));
    const time = (k: string): number => infos.find((i) => i.key === `${p}${k}`)!.lastModified.getTime();
    const cutoff = (Math.max(time('raw/old-1'), time('raw/old-2')) + Math.min(time('raw/new-1'), time('raw/new-2'))) / 2;
    const maxAgeMs = 3_600_000;
    expect(await applyRetention(store, `${p}raw/`, maxAgeMs, new Date(cutoff + maxAgeMs))).toEqual({ deleted: 2 });
    expect((await collect(store.list(p))).map((i) => i.key)).toEqual([`${p}keep/old-3`, `${p}raw/new-1`, `${p}raw/new-2`]);
  });
}

describe('object store contract: local files', () => {
  let dir: string;
  beforeAll(async () => {
    await mkdir(HARNESS_ROOT, { recursive: true });
    dir = await mkdtemp(join(HARNESS_ROOT, 'objects-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  contractSuite(() => ({ open: async () => ({ store: await openObjectStore({ dir, ...TUNING }) }) }));
});

describe('object store contract: S3 via s3rver', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startS3rver>> | undefined;
  let conn: S3Conn;
  beforeAll(async () => {
    await mkdir(HARNESS_ROOT, { recursive: true });
    dir = await mkdtemp(join(HARNESS_ROOT, 's3rver-'));
    server = await startS3rver(dir, 'surveys');
    conn = { endpoint: `http://127.0.0.1:${server.port}`, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', bucket: 'surveys' };
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  contractSuite(() => s3Backend(() => conn));

  it('opens through openObjectStore and stores keys under the URL prefix', async () => {
    await using store = await openObjectStore({ ...conn, dir: '/unused', url: 's3://surveys/prod/', forcePathStyle: true });
    expect(store).toMatchObject({ kind: 's3', location: 's3://surveys/prod' });
    await store.put('raw/k', 'v');
    const raw = createS3Client({ ...conn, forcePathStyle: true });
    try {
      const out = await raw.send(new GetObjectCommand({ Bucket: 'surveys', Key: 'prod/raw/k' }));
      expect(await out.Body?.transformToString()).toBe('v');
    } finally {
      raw.destroy();
    }
    expect((await collect(store.list(''))).map((i) => i.key)).toContain('raw/k');
  });

  it('fails fast with CONFIG on a missing bucket and UNAVAILABLE on a dead endpoint', async () => {
    const base = { ...conn, dir: '/unused', forcePathStyle: true };
    await expect(openObjectStore({ ...base, url: 's3://no-such-bucket' })).rejects.toMatchObject({ code: 'CONFIG' });
    const dead = openObjectStore({ ...base, url: 's3://surveys', endpoint: 'http://127.0.0.1:9' });
    await expect(dead).rejects.toMatchObject({ code: 'UNAVAILABLE', retryable: true });
  });
});

/** Cheap check before testcontainers tries (and fails slowly) to find a runtime. */

const noRuntime = noContainerRuntime();
describe.skipIf(noRuntime !== undefined)(`object store contract: MinIO via testcontainers${noRuntime ? ` (skipped: ${noRuntime})` : ''}`, () => {
  let container: { stop(): Promise<unknown> } | undefined;
  let conn: S3Conn;
  beforeAll(async () => {
    const minio = await startMinio();
    container = minio;
    conn = { endpoint: minio.endpoint, accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey, bucket: 'surveys' };
    const admin = createS3Client({ ...conn, forcePathStyle: true });
    await admin.send(new CreateBucketCommand({ Bucket: 'surveys' })).finally(() => admin.destroy());
  });
  afterAll(async () => {
    await container?.stop();
  });

  contractSuite(() => s3Backend(() => conn));
});
