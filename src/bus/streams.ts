/**
 * Declarative JetStream topology: `streams/*.json`, one file per stream with its consumers, applied
 * idempotently (`surveystream streams apply`, and at every start). Re-applying an unchanged file
 * changes nothing; a changed limit is updated in place.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AckPolicy,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { z } from 'zod';
import { PipelineError } from '../errors.js';

const ConsumerSpec = z.object({
  durable_name: z.string().regex(/^[A-Za-z0-9_-]+$/),
  description: z.string().optional(),
  ack_policy: z.enum(['explicit', 'all', 'none']).default('explicit'),
  ack_wait_ms: z.number().int().positive().default(30_000),
  max_deliver: z.number().int().default(-1),
  max_ack_pending: z.number().int().positive().default(1000),
  filter_subject: z.string().optional(),
});

const StreamSpec = z.object({
  name: z.string().regex(/^[A-Za-z0-9_-]+$/),
  description: z.string().optional(),
  subjects: z.array(z.string()).min(1),
  storage: z.enum(['file', 'memory']).default('file'),
  retention: z.enum(['limits', 'interest', 'workqueue']).default('limits'),
  discard: z.enum(['old', 'new']).default('old'),
  max_age_ms: z.number().int().nonnegative().default(0),
  duplicate_window_ms: z.number().int().positive().default(120_000),
  max_msg_size: z.number().int().default(-1),
  max_bytes: z.number().int().default(-1),
  consumers: z.array(ConsumerSpec).default([]),
});
export type StreamSpec = z.infer<typeof StreamSpec>;

export interface ApplyResult {
  kind: 'stream' | 'consumer';
  name: string;
  action: 'created' | 'updated' | 'unchanged';
}

/** Reads and validates every `*.json` in the directory, in name order. */
export function loadStreamSpecs(dir: string): StreamSpec[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch (err) {
    throw new PipelineError('CONFIG', `cannot read streams directory ${dir}`, false, { cause: err });
  }
  return files.map((file) => {
    const parsed = StreamSpec.safeParse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    if (!parsed.success) {
      throw new PipelineError('CONFIG', `${join(dir, file)}: ${z.prettifyError(parsed.error)}`, false);
    }
    return parsed.data;
  });
}

function streamConfig(spec: StreamSpec, replicas: number): Partial<StreamConfig> & { name: string } {
  return {
    name: spec.name,
    ...(spec.description ? { description: spec.description } : {}),
    subjects: spec.subjects,
    storage: spec.storage === 'file' ? StorageType.File : StorageType.Memory,
    retention:
      spec.retention === 'limits'
        ? RetentionPolicy.Limits
        : spec.retention === 'interest'
          ? RetentionPolicy.Interest
          : RetentionPolicy.Workqueue,
    discard: spec.discard === 'old' ? DiscardPolicy.Old : DiscardPolicy.New,
    max_age: nanos(spec.max_age_ms),
    duplicate_window: nanos(spec.duplicate_window_ms),
    max_msg_size: spec.max_msg_size,
    max_bytes: spec.max_bytes,
    num_replicas: replicas,
  };
}

function consumerConfig(spec: z.infer<typeof ConsumerSpec>): Partial<ConsumerConfig> {
  return {
    durable_name: spec.durable_name,
    ...(spec.description ? { description: spec.description } : {}),
    ack_policy:
      spec.ack_policy === 'explicit' ? AckPolicy.Explicit : spec.ack_policy === 'all' ? AckPolicy.All : AckPolicy.None,
    ack_wait: nanos(spec.ack_wait_ms),
    max_deliver: spec.max_deliver,
    max_ack_pending: spec.max_ack_pending,
    ...(spec.filter_subject ? { filter_subject: spec.filter_subject } : {}),
  };
}

/** True when every key we set has the same value on the server. */
function sameAs(wanted: object, actual: object): boolean {
  const a = actual as Record<string, unknown>;
  return Object.entries(wanted).every(([k, v]) => JSON.stringify(a[k]) === JSON.stringify(v));
}

async function applyStream(jsm: JetStreamManager, spec: StreamSpec, replicas: number | undefined): Promise<ApplyResult[]> {
  const results: ApplyResult[] = [];
  const existing = await jsm.streams.info(spec.name).catch(() => undefined);
  const wanted = streamConfig(spec, replicas ?? existing?.config.num_replicas ?? 1);
  if (!existing) {
    await jsm.streams.add(wanted);
    results.push({ kind: 'stream', name: spec.name, action: 'created' });
  } else if (!sameAs(wanted, existing.config)) {
    await jsm.streams.update(spec.name, wanted);
    results.push({ kind: 'stream', name: spec.name, action: 'updated' });
  } else {
    results.push({ kind: 'stream', name: spec.name, action: 'unchanged' });
  }
  for (const c of spec.consumers) {
    const cfg = consumerConfig(c);
    const name = `${spec.name}/${c.durable_name}`;
    const info = await jsm.consumers.info(spec.name, c.durable_name).catch(() => undefined);
    if (!info) {
      await jsm.consumers.add(spec.name, cfg);
      results.push({ kind: 'consumer', name, action: 'created' });
    } else if (!sameAs(cfg, info.config)) {
      const { durable_name: _d, ...update } = cfg;
      await jsm.consumers.update(spec.name, c.durable_name, update);
      results.push({ kind: 'consumer', name, action: 'updated' });
    } else {
      results.push({ kind: 'consumer', name, action: 'unchanged' });
    }
  }
  return results;
}

/**
 * Applies every spec; returns what changed. Throws a readable error on a conflict. `replicas`
 * unset: a new stream gets 1, an existing one keeps its own.
 */
export async function applyStreams(
  jsm: JetStreamManager,
  specs: readonly StreamSpec[],
  replicas?: number,
): Promise<ApplyResult[]> {
  const results: ApplyResult[] = [];
  for (const spec of specs) {
    try {
      results.push(...(await applyStream(jsm, spec, replicas)));
    } catch (err) {
      throw new PipelineError('CONFIG', `cannot apply stream ${spec.name}: ${(err as Error).message}`, false, {
        cause: err,
      });
    }
  }
  return results;
}

/** Sets the replicas of an existing stream (e.g. a KV bucket's `KV_<bucket>`); unset or equal = unchanged. */
export async function applyReplicas(jsm: JetStreamManager, stream: string, replicas: number | undefined): Promise<ApplyResult> {
  const info = await jsm.streams.info(stream);
  if (replicas === undefined || info.config.num_replicas === replicas) return { kind: 'stream', name: stream, action: 'unchanged' };
  try {
    await jsm.streams.update(stream, { ...info.config, num_replicas: replicas });
  } catch (err) {
    throw new PipelineError('CONFIG', `cannot set ${stream} to ${replicas} replicas: ${(err as Error).message}`, false, { cause: err });
  }
  return { kind: 'stream', name: stream, action: 'updated' };
}
