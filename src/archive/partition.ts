/**
 * Archive object keys: `raw/date=YYYY-MM-DD/hour=HH/<batch-id>.ndjson.gz`, partitioned by the
 * survey's stream time (UTC). The batch id is the first and last stream sequence of the batch,
 * zero-padded so keys sort in stream order, and deterministic: re-archiving the same messages
 * after a crash overwrites the same object.
 */

/** Root prefix of raw archives (retention applies under it). */
export const RAW_PREFIX = 'raw/';

/** `date=YYYY-MM-DD/hour=HH` of an epoch-ms stream time, in UTC. */
export function partitionOf(storedAtMs: number): string {
  const iso = new Date(storedAtMs).toISOString();
  return `date=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}`;
}

const pad = (n: number): string => String(n).padStart(12, '0');

/** Object key of a batch within a partition. */
export function archiveKey(partition: string, firstSeq: number, lastSeq: number): string {
  return `${RAW_PREFIX}${partition}/${pad(firstSeq)}-${pad(lastSeq)}.ndjson.gz`;
}

/** Groups items by partition, keeping their order inside each group. */
export function groupByPartition<T>(items: readonly T[], timeOf: (item: T) => number): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = partitionOf(timeOf(item));
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
