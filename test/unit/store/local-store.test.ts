import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PipelineError } from '../../../src/errors.js';
import { openObjectStore, type ObjectInfo, type ObjectStore } from '../../../src/store/index.js';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (err) {
    return err instanceof PipelineError ? err.code : `not a PipelineError: ${String(err)}`;
  }
}

async function collect(iterable: AsyncIterable<ObjectInfo>): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of iterable) keys.push(info.key);
  return keys;
}

/** Every file name under `dir`, relative, directories included with a trailing slash. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.map((e) => join(e.parentPath, e.name).slice(dir.length + 1) + (e.isDirectory() ? '/' : '')).sort();
}

function failingStream(afterBytes: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= afterBytes) {
        this.destroy(new Error('source broke'));
        return;
      }
      sent += 1024;
      this.push(Buffer.alloc(1024, 7));
    },
  });
}

describe('local object store', () => {
  let dir: string;
  let store: ObjectStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-unit-'));
    store = await openObjectStore({ dir: join(dir, 'objects') });
    dir = join(dir, 'objects');
  });
  afterEach(async () => {
    await store[Symbol.asyncDispose]();
    await rm(join(dir, '..'), { recursive: true, force: true });
  });

  it('maps keys to files under the directory and reports a file URL', async () => {
    expect(store.kind).toBe('local');
    expect(store.location).toBe(`file://${dir}`);
    const res = await store.put('models/risk/1/model.json', '{"a":1}');
    expect(res).toEqual({ key: 'models/risk/1/model.json', size: 7 });
    expect(await readFile(join(dir, 'models/risk/1/model.json'), 'utf8')).toBe('{"a":1}');
  });

  it('round-trips bytes, strings and streams', async () => {
    await store.put('a.bin', new Uint8Array([1, 2, 3]));
    await store.put('b.txt', 'héllo');
    const put = await store.put('c.bin', Readable.from([Buffer.from('ab'), Buffer.from('cd')]));
    expect(put.size).toBe(4);
    expect([...(await store.get('a.bin'))]).toEqual([1, 2, 3]);
    expect((await store.get('b.txt')).toString()).toBe('héllo');
    const chunks: Buffer[] = [];
    for await (const chunk of await store.getStream('c.bin')) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('abcd');
  });

  it('rejects keys that escape the directory and writes nothing', async () => {
    for (const key of ['../escape', '/abs', 'a//b', 'a\u0000b', 'a/./b', '']) {
      expect(await codeOf(store.put(key, 'x'))).toBe('INVALID_ARGUMENT');
      expect(await codeOf(store.get(key))).toBe('INVALID_ARGUMENT');
    }
    expect(await codeOf(store.delete(['ok', '../x']))).toBe('INVALID_ARGUMENT');
    expect(existsSync(join(dir, '..', 'escape'))).toBe(false);
    expect(await tree(dir)).toEqual([]);
  });

  it('answers NOT_FOUND for missing objects and directories, head answers undefined', async () => {
    await store.put('raw/x', 'x');
    for (const key of ['nope', 'raw', 'raw/x/y']) {
      expect(await codeOf(store.get(key))).toBe('NOT_FOUND');
      expect(await codeOf(store.getStream(key))).toBe('NOT_FOUND');
      expect(await store.head(key)).toBeUndefined();
    }
    expect(await codeOf(store.copy('nope', 'other'))).toBe('NOT_FOUND');
  });

  it('leaves no half object and no temp file when a stream body fails', async () => {
    await store.put('k', 'old');
    expect(await codeOf(store.put('k', failingStream(64 * 1024)))).toBe('INTERNAL');
    expect((await store.get('k')).toString()).toBe('old');
    await store.put('dir/only', 'x');
    await store.delete('dir/only');
    expect(await codeOf(store.put('dir/new', failingStream(0)))).toBe('INTERNAL');
    expect(await tree(dir)).toEqual(['k']);
  });

  it('keeps metadata and content type in a hidden sidecar', async () => {
    await store.put('m/obj', 'data', { contentType: 'application/json', metadata: { Sha256: 'abc' } });
    const info = await store.head('m/obj');
    expect(info).toMatchObject({ key: 'm/obj', size: 4, contentType: 'application/json', metadata: { sha256: 'abc' } });
    expect(info?.lastModified).toBeInstanceOf(Date);
    expect(await collect(store.list(''))).toEqual(['m/obj']);
    expect((await tree(dir)).some((f) => f.includes('.~meta.'))).toBe(true);
    // Overwriting without metadata drops the old metadata.
    await store.put('m/obj', 'data2');
    expect((await store.head('m/obj'))?.metadata).toBeUndefined();
    expect(await tree(dir)).toEqual(['m/', 'm/obj']);
  });

  it('ignores a sidecar that belongs to another version of the file', async () => {
    await store.put('s/obj', 'v1', { metadata: { v: '1' } });
    const sidecar = join(dir, 's', '.~meta.obj.json');
    const saved = await readFile(sidecar, 'utf8');
    await store.put('s/obj', 'v2');
    await writeFile(sidecar, saved); // as if a crash had left the old sidecar behind
    expect((await store.head('s/obj'))?.metadata).toBeUndefined();
  });

  it('lists in UTF-8 key order with prefix filtering, including partial segments', async () => {
    const keys = ['a/b', 'a-b', 'a/c/d', 'ab', 'b', 'raw/date=2024-05-01/x', 'raw/date=2024-06-01/y', 'raw/other'];
    for (const key of [...keys].reverse()) await store.put(key, key);
    expect(await collect(store.list(''))).toEqual(['a-b', 'a/b', 'a/c/d', 'ab', 'b', 'raw/date=2024-05-01/x', 'raw/date=2024-06-01/y', 'raw/other']);
    expect(await collect(store.list('a/'))).toEqual(['a/b', 'a/c/d']);
    expect(await collect(store.list('a'))).toEqual(['a-b', 'a/b', 'a/c/d', 'ab']);
    expect(await collect(store.list('raw/date=2024-0'))).toEqual(['raw/date=2024-05-01/x', 'raw/date=2024-06-01/y']);
    expect(await collect(store.list('nothing/'))).toEqual([]);
    await expect(collect(store.list('../'))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('deletes idempotently and prunes directories left empty', async () => {
    await store.put('x/y/z', '1');
    await store.put('x/keep', '2');
    await store.delete(['x/y/z', 'x/y/z', 'missing']);
    await store.delete('x'); // a directory is not an object
    await store.delete([]);
    expect(await tree(dir)).toEqual(['x/', 'x/keep']);
  });

  it('copies data and metadata', async () => {
    await store.put('src', 'payload', { contentType: 'text/plain', metadata: { k: 'v' } });
    await store.copy('src', 'dst/copy');
    expect((await store.get('dst/copy')).toString()).toBe('payload');
    expect(await store.head('dst/copy')).toMatchObject({ contentType: 'text/plain', metadata: { k: 'v' }, size: 7 });
  });

  it('refuses a key that clashes with a directory', async () => {
    await store.put('d/inner', '1');
    expect(await codeOf(store.put('d', '2'))).toBe('INVALID_ARGUMENT');
    expect(await codeOf(store.put('d/inner/deeper', '3'))).toBe('INVALID_ARGUMENT');
  });

  it('aborts a pending stream upload on dispose, and dispose is idempotent', async () => {
    const never = new PassThrough();
    never.write('partial');
    const pending = store.put('pending', never);
    await new Promise((r) => setTimeout(r, 20));
    await Promise.all([store[Symbol.asyncDispose](), store[Symbol.asyncDispose]()]);
    expect(await codeOf(pending)).toBe('UNAVAILABLE');
    expect(never.destroyed).toBe(true);
    expect(await tree(dir)).toEqual([]);
    expect(await codeOf(store.put('after', 'x'))).toBe('UNAVAILABLE');
    await store[Symbol.asyncDispose]();
  });

  it('creates missing directories on open', async () => {
    const nested = join(dir, 'deep', 'er');
    await using other = await openObjectStore({ dir: nested });
    await other.put('k', 'v');
    expect(existsSync(join(nested, 'k'))).toBe(true);
    await mkdir(nested, { recursive: true });
  });
});
