/**
 * PII protection. Values that must be recoverable are encrypted with AES-256-GCM under a key id;
 * join keys are a keyed hash (HMAC-SHA256), so analysts can group and join without clear values.
 *
 * Keys: `PII_KEYS="k1:<base64 32 bytes>,k2:<...>"`. New ciphertexts use `PII_ACTIVE_KEY_ID` (default:
 * the last key listed), old ciphertexts stay readable as long as their key id is listed: that is
 * rotation. Hashes always use the FIRST key listed (the hashing key), so join keys stay stable
 * across a rotation of the encryption key.
 *
 * Formats: ciphertext `v1.<kid>.<iv b64url>.<tag b64url>.<data b64url>`; hash `h1.<kid>.<hex 32>`.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../config.js';
import { PipelineError } from '../errors.js';

export interface PiiKeyRing {
  readonly activeKeyId: string;
  readonly hashKeyId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** Parses `kid:base64,...`; every key must be 32 bytes. */
export function parseKeyRing(spec: string, activeKeyId?: string): PiiKeyRing {
  const keys = new Map<string, Buffer>();
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const idx = part.indexOf(':');
    const kid = part.slice(0, idx);
    if (idx <= 0 || !/^[A-Za-z0-9_-]{1,32}$/.test(kid)) {
      throw new PipelineError('CONFIG', 'PII_KEYS entries must look like "<kid>:<base64 key>"', false);
    }
    const key = Buffer.from(part.slice(idx + 1), 'base64');
    if (key.length !== 32) {
      throw new PipelineError('CONFIG', `PII key "${kid}" must be 32 bytes (base64), got ${key.length}`, false);
    }
    keys.set(kid, key);
  }
  const ids = [...keys.keys()];
  if (ids.length === 0) throw new PipelineError('CONFIG', 'PII_KEYS holds no key', false);
  const active = activeKeyId ?? ids[ids.length - 1]!;
  if (!keys.has(active)) throw new PipelineError('CONFIG', `PII_ACTIVE_KEY_ID "${active}" is not in PII_KEYS`, false);
  return { activeKeyId: active, hashKeyId: ids[0]!, keys };
}

/** A new random key ring spec (`dev:<base64>`), for `surveystream pii keygen` and dev mode. */
export function generateKeySpec(kid = 'dev'): string {
  return `${kid}:${randomBytes(32).toString('base64')}`;
}

/**
 * The key ring from config; in embedded (dev) mode with no keys configured, a key generated once
 * and kept in `<dataDir>/pii-keys` (mode 0600), so a dev store stays readable across restarts.
 */
export function loadKeyRing(keys: string | undefined, activeKeyId: string | undefined, devKeyFile?: string): PiiKeyRing {
  if (keys) return parseKeyRing(keys, activeKeyId);
  if (!devKeyFile) {
    throw new PipelineError('CONFIG', 'PII_KEYS is required (generate one with "surveystream pii keygen")', false);
  }
  if (!existsSync(devKeyFile)) {
    mkdirSync(dirname(devKeyFile), { recursive: true });
    writeFileSync(devKeyFile, generateKeySpec(), { mode: 0o600 });
  }
  return parseKeyRing(readFileSync(devKeyFile, 'utf8').trim(), activeKeyId);
}

/**
 * The protector every role and operator command uses: PII_KEYS when set; in embedded mode (no
 * NATS_URL or no CLICKHOUSE_URL) the dev key under `<dataDir>/pii-keys`; otherwise a CONFIG error.
 */
export function piiProtectorFor(cfg: Readonly<Config>): PiiProtector {
  const embedded = !cfg.nats.url || !cfg.clickhouse.url;
  return new PiiProtector(loadKeyRing(cfg.pii.keys, cfg.pii.activeKeyId, embedded ? join(cfg.dataDir, 'pii-keys') : undefined));
}

const b64u = (b: Buffer): string => b.toString('base64url');

export class PiiProtector {
  readonly #ring: PiiKeyRing;
  readonly #hmacKey: Buffer;

  constructor(ring: PiiKeyRing) {
    this.#ring = ring;
    // A separate sub-key for hashing, so the encryption key is never used for two purposes.
    this.#hmacKey = Buffer.from(hkdfSync('sha256', ring.keys.get(ring.hashKeyId)!, '', 'surveystream-pii-hmac', 32));
  }

  get activeKeyId(): string {
    return this.#ring.activeKeyId;
  }

  /** Keyed hash of a value (join key). Empty for null/blank input. */
  hash(value: string | number | null | undefined): string {
    if (value === null || value === undefined || String(value).trim() === '') return '';
    const mac = createHmac('sha256', this.#hmacKey).update(String(value).trim()).digest('hex').slice(0, 32);
    return `h1.${this.#ring.hashKeyId}.${mac}`;
  }

  encrypt(plain: Uint8Array | string): string {
    const kid = this.#ring.activeKeyId;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#ring.keys.get(kid)!, iv);
    cipher.setAAD(Buffer.from(kid));
    const data = Buffer.concat([cipher.update(typeof plain === 'string' ? Buffer.from(plain) : plain), cipher.final()]);
    return `v1.${kid}.${b64u(iv)}.${b64u(cipher.getAuthTag())}.${b64u(data)}`;
  }

  /** Encrypts a text value; empty for null/blank input. */
  encryptValue(value: string | number | null | undefined): string {
    if (value === null || value === undefined || String(value) === '') return '';
    return this.encrypt(String(value));
  }

  decrypt(token: string): Buffer {
    const parts = token.split('.');
    if (parts.length !== 5 || parts[0] !== 'v1') {
      throw new PipelineError('INVALID_ARGUMENT', 'not a surveystream ciphertext (expected v1.<kid>.<iv>.<tag>.<data>)', false);
    }
    const [, kid, iv, tag, data] = parts as [string, string, string, string, string];
    const key = this.#ring.keys.get(kid);
    if (!key) throw new PipelineError('NOT_FOUND', `no PII key with id "${kid}" is configured`, false);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(kid));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]);
    } catch (err) {
      throw new PipelineError('INVALID_ARGUMENT', `cannot decrypt with key "${kid}": wrong key or corrupted value`, false, {
        cause: err,
      });
    }
  }
}
