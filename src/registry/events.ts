/** Lifecycle events on `models.v1.<event>` (stream MODEL_EVENTS), JSON, one per registry row. */
import type { JetStreamClient } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { subjectToken } from '../bus/subjects.js';
import type { RegistryEvent } from './types.js';

/** Subject of a lifecycle event. */
export function modelEventSubject(event: string): string {
  return `models.v1.${subjectToken(event)}`;
}

/** The JSON body of an event message (snake_case, like the table). */
export function eventBody(e: RegistryEvent, seq: number): Record<string, unknown> {
  return {
    name: e.name,
    version: e.version,
    status: e.status,
    event: e.event,
    reason: e.reason,
    trigger: e.trigger,
    metrics: e.metrics,
    previous_version: e.previousVersion,
    actor: e.actor,
    created_at: new Date(e.createdAtMs).toISOString(),
    decided_at: new Date(e.decidedAtMs).toISOString(),
    seq,
  };
}

/** Publishes an event and waits for the PubAck (msg id = name:version:event:seq). */
export async function publishEvent(js: JetStreamClient, e: RegistryEvent, seq: number): Promise<void> {
  const h = natsHeaders();
  h.set('Content-Type', 'application/json');
  await js.publish(modelEventSubject(e.event), JSON.stringify(eventBody(e, seq)), { msgID: `${e.name}:${e.version}:${e.event}:${seq}`, headers: h });
}

/** Any other lifecycle notice (a skipped training, a trigger) on `models.v1.<kind>`. */
export async function publishNotice(js: JetStreamClient, kind: string, body: Record<string, unknown>): Promise<void> {
  const h = natsHeaders();
  h.set('Content-Type', 'application/json');
  await js.publish(modelEventSubject(kind), JSON.stringify({ kind, at: new Date().toISOString(), ...body }), { headers: h });
}
