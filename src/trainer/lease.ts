/**
 * A lease in KV `models` (key `trainer_lease`) so that only one trainer acts at a time, however
 * many run. Acquire = `create` when the key is absent (or deleted), or a revision-checked `update`
 * over a lease whose `expiresAt` has passed (its holder died). Renew and release are
 * revision-checked too, so a trainer that lost its lease cannot clobber the new holder's.
 * Expiry is in the value (not a server TTL) because per-message TTLs need nats-server 2.11.
 */
import type { KV } from '@nats-io/kv';

/** KV key of the trainer lease. */
export const LEASE_KEY = 'trainer_lease';

interface LeaseValue {
  holder: string;
  expiresAt: number;
}

function encode(v: LeaseValue): string {
  return JSON.stringify(v);
}

function decode(bytes: Uint8Array): LeaseValue | undefined {
  try {
    const v = JSON.parse(new TextDecoder().decode(bytes)) as Partial<LeaseValue>;
    return typeof v.holder === 'string' && typeof v.expiresAt === 'number' ? { holder: v.holder, expiresAt: v.expiresAt } : undefined;
  } catch {
    return undefined;
  }
}

export class KvLease {
  readonly #kv: KV;
  readonly #holder: string;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #revision: number | undefined;
  /** KV calls run one at a time: two renewals racing on one revision would make the second fail. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(kv: KV, holder: string, ttlMs: number, now: () => number = Date.now) {
    this.#kv = kv;
    this.#holder = holder;
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  /** Whether this trainer believes it holds the lease (call {@link renew} to check with the server). */
  get held(): boolean {
    return this.#revision !== undefined;
  }

  /** Takes the lease if it is free or expired; false when another live trainer holds it. */
  acquire(): Promise<boolean> {
    return this.#serial(() => this.#acquire());
  }

  /** Extends a held lease; false (and no longer held) when it was taken over. */
  renew(): Promise<boolean> {
    return this.#serial(() => this.#renew());
  }

  /** Gives the lease back (only if still ours). */
  release(): Promise<void> {
    return this.#serial(() => this.#release());
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(fn, fn);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #acquire(): Promise<boolean> {
    const value = encode({ holder: this.#holder, expiresAt: this.#now() + this.#ttlMs });
    const entry = await this.#kv.get(LEASE_KEY);
    try {
      if (entry?.operation !== 'PUT') {
        this.#revision = await this.#kv.create(LEASE_KEY, value);
        return true;
      }
      const current = decode(entry.value);
      if (current && current.holder !== this.#holder && current.expiresAt > this.#now()) return false;
      this.#revision = await this.#kv.update(LEASE_KEY, value, entry.revision);
      return true;
    } catch {
      return false; // someone else won the race (wrong last sequence)
    }
  }

  async #renew(): Promise<boolean> {
    if (this.#revision === undefined) return false;
    try {
      this.#revision = await this.#kv.update(LEASE_KEY, encode({ holder: this.#holder, expiresAt: this.#now() + this.#ttlMs }), this.#revision);
      return true;
    } catch {
      this.#revision = undefined;
      return false;
    }
  }

  async #release(): Promise<void> {
    if (this.#revision === undefined) return;
    const revision = this.#revision;
    this.#revision = undefined;
    await this.#kv.delete(LEASE_KEY, { previousSeq: revision }).catch(() => undefined);
  }
}
