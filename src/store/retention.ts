import { PipelineError } from '../errors.js';
import type { ObjectStore } from './types.js';

/** Keys deleted per request while sweeping (the S3 DeleteObjects limit). */
const BATCH = 1000;

/**
 * Deletes every object under `prefix` whose `lastModified` is more than `maxAgeMs` before `now`.
 * Works on any backend: it lists page by page and deletes in batches as it goes, so memory stays
 * flat on large prefixes. Ages come from the backend's clock (S3: LastModified, local: mtime).
 *
 * @param now the reference time; injectable for tests. @default new Date()
 * @returns how many objects were deleted.
 */
export async function applyRetention(
  store: ObjectStore,
  prefix: string,
  maxAgeMs: number,
  now: Date = new Date(),
): Promise<{ deleted: number }> {
  if (!Number.isFinite(maxAgeMs) || maxAgeMs < 0) {
    throw new PipelineError('INVALID_ARGUMENT', `retention maxAgeMs must be a finite number >= 0, got ${maxAgeMs}`, false);
  }
  const cutoff = now.getTime() - maxAgeMs;
  let batch: string[] = [];
  let deleted = 0;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    await store.delete(batch);
    deleted += batch.length;
    batch = [];
  };
  for await (const info of store.list(prefix)) {
    if (info.lastModified.getTime() < cutoff) batch.push(info.key);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return { deleted };
}
