/**
 * Per-device bearer tokens, kept in a JetStream KV bucket (one key per device). Only a SHA-256 of
 * each token is stored: the token itself is shown once, when it is issued. Issuing again replaces
 * a device's token (rotation); revoking marks it revoked, effective on the next call.
 *
 * Token format: `sst1.<base64url(device id)>.<base64url(32 random bytes)>`. The device id inside
 * the token finds its key; the hash comparison (constant time) decides.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { JetStreamClient } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { PipelineError } from '../errors.js';

/** What the bucket holds per device (never the token). */
export interface TokenRecord {
  device_id: string;
  /** Hex SHA-256 of the whole token string. */
  sha256: string;
  issued_at_ms: number;
  revoked_at_ms?: number;
  label?: string;
}

/** The caller a token belongs to. */
export interface Principal {
  /** Empty when auth is off. */
  readonly deviceId: string;
}

const TOKEN_PREFIX = 'sst1';
const DEVICE_ID_RE = /^[\x21-\x7e]{1,128}$/;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const keyOf = (deviceId: string): string => Buffer.from(deviceId).toString('base64url');

function checkDeviceId(deviceId: string): void {
  if (!DEVICE_ID_RE.test(deviceId)) {
    throw new PipelineError('INVALID_ARGUMENT', 'device id must be 1-128 printable ASCII characters without spaces', false, {
      details: { field: 'device_id' },
    });
  }
}

/** Opens the token bucket, creating it when missing (history 1: old hashes are not kept). */
export async function openTokenBucket(js: JetStreamClient, bucket: string): Promise<KV> {
  try {
    return await new Kvm(js).create(bucket, { history: 1, description: 'surveystream device tokens (SHA-256 only)' });
  } catch (err) {
    throw new PipelineError('UNAVAILABLE', `cannot open the token bucket ${bucket}: ${(err as Error).message}`, true, { cause: err });
  }
}

/** Issues (or rotates) a device's token; returns the token, which is not stored anywhere. */
export async function issueToken(kv: KV, deviceId: string, label?: string): Promise<{ token: string; record: TokenRecord }> {
  checkDeviceId(deviceId);
  const token = `${TOKEN_PREFIX}.${keyOf(deviceId)}.${randomBytes(32).toString('base64url')}`;
  const record: TokenRecord = { device_id: deviceId, sha256: sha256(token), issued_at_ms: Date.now(), ...(label ? { label } : {}) };
  await kv.put(keyOf(deviceId), JSON.stringify(record));
  return { token, record };
}

async function readRecord(kv: KV, key: string): Promise<TokenRecord | undefined> {
  const entry = await kv.get(key);
  if (entry?.operation !== 'PUT' || entry.length === 0) return undefined;
  return entry.json<TokenRecord>();
}

/** Revokes a device's token; false when the device has none. */
export async function revokeToken(kv: KV, deviceId: string): Promise<boolean> {
  checkDeviceId(deviceId);
  const record = await readRecord(kv, keyOf(deviceId));
  if (!record || record.revoked_at_ms !== undefined) return false;
  await kv.put(keyOf(deviceId), JSON.stringify({ ...record, revoked_at_ms: Date.now() }));
  return true;
}

/** Every device's token record (hashes only), sorted by device id. */
export async function listTokens(kv: KV): Promise<TokenRecord[]> {
  const keys: string[] = [];
  for await (const key of await kv.keys()) keys.push(key);
  const records = await Promise.all(keys.map((k) => readRecord(kv, k)));
  return records.filter((r): r is TokenRecord => r !== undefined).sort((a, b) => a.device_id.localeCompare(b.device_id));
}

/** The principal of a valid, unrevoked token; undefined for anything else. */
export async function verifyToken(kv: KV, token: string): Promise<Principal | undefined> {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== TOKEN_PREFIX || !parts[1] || !parts[2]) return undefined;
  const record = await readRecord(kv, parts[1]);
  if (!record || record.revoked_at_ms !== undefined) return undefined;
  const want = Buffer.from(record.sha256, 'hex');
  const got = Buffer.from(sha256(token), 'hex');
  return want.length === got.length && timingSafeEqual(want, got) ? { deviceId: record.device_id } : undefined;
}
