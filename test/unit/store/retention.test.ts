import { mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyRetention, openObjectStore, type ObjectStore } from '../../../src/store/index.js';

const DAY = 86_400_000;

describe('applyRetention', () => {
  let dir: string;
  let store: ObjectStore;
  const now = new Date('2024-06-30T12:00:00Z');

  async function putAged(key: string, ageMs: number): Promise<void> {
    await store.put(key, key);
    const t = new Date(now.getTime() - ageMs);
    await utimes(join(dir, ...key.split('/')), t, t);
  }

  async function keys(): Promise<string[]> {
    const out: string[] = [];
    for await (const info of store.list('')) out.push(info.key);
    return out;
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'store-retention-'));
    store = await openObjectStore({ dir });
  });
  afterEach(async () => {
    await store[Symbol.asyncDispose]();
    await rm(dir, { recursive: true, force: true });
  });

  it('deletes only objects under the prefix older than maxAge', async () => {
    await putAged('raw/date=2024-05-01/a', 60 * DAY);
    await putAged('raw/date=2024-06-29/b', 1 * DAY);
    await putAged('raw/date=2024-06-01/c', 29 * DAY + 1);
    await putAged('models/risk/1/model.onnx', 365 * DAY);
    const res = await applyRetention(store, 'raw/', 29 * DAY, now);
    expect(res).toEqual({ deleted: 2 });
    expect(await keys()).toEqual(['models/risk/1/model.onnx', 'raw/date=2024-06-29/b']);
  });

  it('deletes in batches past 1000 objects', async () => {
    const old = Array.from({ length: 1005 }, (_, i) => `old/${String(i).padStart(4, '0')}`);
    for (let i = 0; i < old.length; i += 50) await Promise.all(old.slice(i, i + 50).map((k) => putAged(k, 2 * DAY)));
    expect(await applyRetention(store, 'old/', DAY, now)).toEqual({ deleted: 1005 });
    expect(await keys()).toEqual([]);
  }, 30_000); // 1005 fsynced writes

  it('rejects a negative or infinite age', async () => {
    await expect(applyRetention(store, '', -1, now)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(applyRetention(store, '', Number.POSITIVE_INFINITY, now)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
