/**
 * The `model_registry` event log in ClickHouse (deploy/clickhouse/0009_model_registry.sql):
 * append-only rows, current status per version through `argMax`. All SQL uses query parameters.
 */
import type { ClickHouse } from '../sink/clickhouse.js';
import { insertRows } from '../sink/sinks.js';
import type { ModelStatus, RegistryEvent, RegistryEventName, VersionState } from './types.js';

let lastSeq = 0;

/** A strictly increasing tie-breaker for events decided in the same millisecond. */
function nextSeq(nowMs: number): number {
  lastSeq = Math.max(lastSeq + 1, nowMs * 1000);
  return lastSeq;
}

/** Appends one event row. */
export async function appendEvent(ch: ClickHouse, e: RegistryEvent): Promise<number> {
  const seq = nextSeq(e.decidedAtMs);
  await insertRows(ch, 'model_registry', [
    {
      name: e.name,
      version: e.version,
      status: e.status,
      event: e.event,
      reason: e.reason,
      trigger: e.trigger,
      metrics: JSON.stringify(e.metrics),
      previous_version: e.previousVersion,
      actor: e.actor,
      created_at: e.createdAtMs,
      decided_at: e.decidedAtMs,
      seq,
    },
  ]);
  return seq;
}

async function rows<T>(ch: ClickHouse, query: string, params: Record<string, unknown>): Promise<T[]> {
  const rs = await ch.client.query({ query, query_params: params, format: 'JSONEachRow' });
  return rs.json<T>();
}

interface StateRow {
  name: string;
  version: string;
  status: ModelStatus;
  last_event: RegistryEventName;
  last_reason: string;
  created: string;
  decided: string;
}

/** Every version of a model with its current status, newest first. */
export async function currentStates(ch: ClickHouse, name: string): Promise<VersionState[]> {
  const list = await rows<StateRow>(
    ch,
    `SELECT name, version, argMax(status, (decided_at, seq)) AS status, argMax(event, (decided_at, seq)) AS last_event,
            argMax(reason, (decided_at, seq)) AS last_reason, toString(min(created_at)) AS created, toString(max(decided_at)) AS decided
       FROM ${ch.database}.model_registry WHERE name = {name:String}
      GROUP BY name, version ORDER BY created DESC, version DESC`,
    { name },
  );
  return list.map((r) => ({
    name: r.name,
    version: r.version,
    status: r.status,
    lastEvent: r.last_event,
    lastReason: r.last_reason,
    createdAt: r.created,
    decidedAt: r.decided,
  }));
}

/** A stored event row as read back (metrics still JSON text). */
export interface EventRow {
  name: string;
  version: string;
  status: ModelStatus;
  event: RegistryEventName;
  reason: string;
  trigger: string;
  metrics: string;
  previous_version: string;
  actor: string;
  created_at: string;
  decided_at: string;
}

/** Every event of one version, oldest first. */
export async function versionHistory(ch: ClickHouse, name: string, version: string): Promise<EventRow[]> {
  return rows<EventRow>(
    ch,
    `SELECT name, version, status, event, reason, trigger, metrics, previous_version, actor,
            toString(created_at) AS created_at, toString(decided_at) AS decided_at
       FROM ${ch.database}.model_registry WHERE name = {name:String} AND version = {version:String}
      ORDER BY decided_at, seq`,
    { name, version },
  );
}

/** Events of a model, oldest first (all versions). */
export async function modelHistory(ch: ClickHouse, name: string): Promise<EventRow[]> {
  return rows<EventRow>(
    ch,
    `SELECT name, version, status, event, reason, trigger, metrics, previous_version, actor,
            toString(created_at) AS created_at, toString(decided_at) AS decided_at
       FROM ${ch.database}.model_registry WHERE name = {name:String} ORDER BY decided_at, seq`,
    { name },
  );
}

/** Epoch ms of the newest registered version of a model (any outcome), or undefined. */
export async function lastRegisteredAtMs(ch: ClickHouse, name: string): Promise<number | undefined> {
  const [r] = await rows<{ n: string; t: string }>(
    ch,
    `SELECT count() AS n, toString(toUnixTimestamp64Milli(max(decided_at))) AS t
       FROM ${ch.database}.model_registry WHERE name = {name:String} AND event = 'registered'`,
    { name },
  );
  return r && Number(r.n) > 0 ? Number(r.t) : undefined;
}
