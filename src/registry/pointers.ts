/**
 * The live pointers in JetStream KV bucket `models`: key `active` names the champion every worker
 * scores with, key `shadow` an optional shadow model. Workers watch them (hot swap); the trainer
 * and operators write them. The bucket is created idempotently on first use.
 */
import type { JetStreamClient } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { z } from 'zod';
import type { ModelPointer } from './types.js';

/** KV bucket of the model pointers (and the trainer lease). */
export const MODELS_BUCKET = 'models';
/** Pointer keys. */
export const PointerKey = { active: 'active', shadow: 'shadow' } as const;
export type PointerKey = (typeof PointerKey)[keyof typeof PointerKey];

const PointerSchema = z.object({ name: z.string().min(1), version: z.string().min(1), updatedAt: z.string(), reason: z.string() });

const buckets = new WeakMap<JetStreamClient, Promise<KV>>();

/** Opens (creating if absent) the `models` bucket; one handle per JetStream client. */
export function openModelsKv(js: JetStreamClient): Promise<KV> {
  let kv = buckets.get(js);
  if (!kv) {
    kv = new Kvm(js).create(MODELS_BUCKET, { history: 20, description: 'surveystream model pointers (active, shadow) and trainer lease' });
    kv.catch(() => buckets.delete(js));
    buckets.set(js, kv);
  }
  return kv;
}

/** Parses a pointer value; `undefined` for a deleted key or an empty value. */
export function parsePointer(bytes: Uint8Array | undefined): ModelPointer | undefined {
  if (!bytes || bytes.length === 0) return undefined;
  try {
    const parsed = PointerSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a pointer (`undefined` when unset or deleted). */
export async function readPointer(kv: KV, key: PointerKey): Promise<ModelPointer | undefined> {
  const entry = await kv.get(key);
  if (entry?.operation !== 'PUT') return undefined;
  return parsePointer(entry.value);
}

/** Sets a pointer. */
export async function writePointer(kv: KV, key: PointerKey, name: string, version: string, reason: string): Promise<void> {
  const value: ModelPointer = { name, version, updatedAt: new Date().toISOString(), reason };
  await kv.put(key, JSON.stringify(value));
}

/** Clears a pointer (a deleted `shadow` = no shadow model). */
export async function clearPointer(kv: KV, key: PointerKey): Promise<void> {
  await kv.delete(key);
}
