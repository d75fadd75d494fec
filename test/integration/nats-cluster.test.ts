/**
 * Replicated topology on a real 3-node JetStream cluster: `NATS_STREAM_REPLICAS=3` puts every
 * stream and KV bucket at 3 replicas, and a process started without the variable (an operator
 * shell, a role with the defaults) leaves them at 3 instead of shrinking them to 1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBus, type Bus } from '../../src/bus/nats.js';
import { loadConfig } from '../../src/config.js';
import { applyBusTopology } from '../../src/runtime.js';
import { startNatsCluster, type NatsCluster } from '../harness/nats-cluster.js';

describe('topology on a NATS cluster', () => {
  let cluster: NatsCluster;
  let bus: Bus;

  beforeAll(async () => {
    cluster = await startNatsCluster(3);
    bus = await connectBus(loadConfig({}).nats, cluster.url, 'cluster-test');
  }, 60_000);
  afterAll(async () => {
    await bus?.[Symbol.asyncDispose]();
    await cluster?.[Symbol.asyncDispose]();
  });

  const replicas = async (): Promise<Record<string, number>> => {
    const out: Record<string, number> = {};
    for await (const s of bus.jsm.streams.list()) out[s.config.name] = s.config.num_replicas;
    for (const kv of ['KV_models', 'KV_device_tokens']) out[kv] = (await bus.jsm.streams.info(kv)).config.num_replicas; // list() leaves KV streams out
    return out;
  };

  it('applies 3 replicas to every stream and KV bucket, and a process without the setting keeps them', async () => {
    const r3 = loadConfig({}, { 'nats.streamReplicas': 3 });
    const first = await applyBusTopology(bus, r3);
    expect(first.filter((c) => c.action === 'created').map((c) => c.name)).toContain('SURVEYS');
    const after = await replicas();
    expect(Object.keys(after).sort()).toEqual(expect.arrayContaining(['SURVEYS', 'PREDICTIONS', 'DLQ', 'KV_models', 'KV_device_tokens']));
    for (const [name, n] of Object.entries(after)) expect(n, name).toBe(3);

    const unset = loadConfig({});
    expect(unset.nats.streamReplicas).toBeUndefined();
    const again = await applyBusTopology(bus, unset);
    expect(again.filter((c) => c.action !== 'unchanged')).toEqual([]);
    expect(await replicas()).toEqual(after);
  }, 60_000);
});
