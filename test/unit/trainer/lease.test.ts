import { describe, expect, it } from 'vitest';
import type { KV, KvEntry } from '@nats-io/kv';
import { KvLease, LEASE_KEY } from '../../../src/trainer/lease.js';

/** An in-memory KV with the revision checks of JetStream (enough for the lease). */
function fakeKv(): KV {
  let rev = 0;
  const data = new Map<string, { value: Uint8Array; revision: number; operation: 'PUT' | 'DEL' }>();
  const enc = (v: unknown): Uint8Array => (typeof v === 'string' ? new TextEncoder().encode(v) : (v as Uint8Array));
  const kv = {
    get: (k: string) => {
      const e = data.get(k);
      return Promise.resolve(e ? ({ key: k, value: e.value, revision: e.revision, operation: e.operation } as unknown as KvEntry) : null);
    },
    create: (k: string, v: unknown) => {
      const e = data.get(k);
      if (e?.operation === 'PUT') return Promise.reject(new Error('wrong last sequence'));
      data.set(k, { value: enc(v), revision: ++rev, operation: 'PUT' });
      return Promise.resolve(rev);
    },
    update: (k: string, v: unknown, version: number) => {
      if (data.get(k)?.revision !== version) return Promise.reject(new Error('wrong last sequence'));
      data.set(k, { value: enc(v), revision: ++rev, operation: 'PUT' });
      return Promise.resolve(rev);
    },
    delete: (k: string, opts?: { previousSeq?: number }) => {
      if (opts?.previousSeq !== undefined && data.get(k)?.revision !== opts.previousSeq) return Promise.reject(new Error('wrong last sequence'));
      data.set(k, { value: new Uint8Array(), revision: ++rev, operation: 'DEL' });
      return Promise.resolve();
    },
  };
  return kv as unknown as KV;
}

describe('KvLease', () => {
  it('lets one holder act at a time and frees the lease on release', async () => {
    const kv = fakeKv();
    const a = new KvLease(kv, 'a', 60_000);
    const b = new KvLease(kv, 'b', 60_000);
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);
    await a.release();
    expect(await b.acquire()).toBe(true);
    expect(await a.acquire()).toBe(false);
  });

  it('serialises its own calls: a heartbeat renewal racing the pre-promotion check does not lose the lease', async () => {
    const a = new KvLease(fakeKv(), 'a', 60_000);
    expect(await a.acquire()).toBe(true);
    expect(await Promise.all([a.renew(), a.renew(), a.renew()])).toEqual([true, true, true]);
    expect(a.held).toBe(true);
  });

  it('lets another trainer take over an expired lease, and the old holder can no longer renew', async () => {
    const kv = fakeKv();
    let now = 1_000_000;
    const a = new KvLease(kv, 'a', 10_000, () => now);
    const b = new KvLease(kv, 'b', 10_000, () => now);
    expect(await a.acquire()).toBe(true);
    now += 5_000;
    expect(await b.acquire()).toBe(false);
    expect(await a.renew()).toBe(true);
    now += 10_001;
    expect(await b.acquire()).toBe(true);
    expect(await a.renew()).toBe(false);
    expect(a.held).toBe(false);
    await a.release(); // no effect: not ours any more
    expect(JSON.parse(new TextDecoder().decode((await kv.get(LEASE_KEY))!.value))).toMatchObject({ holder: 'b' });
  });

  it('lets exactly one of two racing trainers win', async () => {
    const kv = fakeKv();
    const results = await Promise.all(['a', 'b', 'c'].map((id) => new KvLease(kv, id, 60_000).acquire()));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
