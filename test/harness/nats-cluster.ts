/**
 * A real 3-node NATS JetStream cluster on loopback, for tests of replicated streams. Each node's
 * run directory carries the `surveystream.lock` the global setup reads, so a crashed test run's
 * nodes are killed at the next start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { findBinary } from '../../src/bus/nats-server.js';
import { HARNESS_ROOT } from './paths.js';

export interface NatsCluster extends AsyncDisposable {
  /** Client URLs of every node, comma-separated (what NATS_URL takes). */
  readonly url: string;
}

/** A TCP port nothing listens on right now (loopback). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts `size` nodes and waits until JetStream has a meta leader. */
export async function startNatsCluster(size = 3, timeoutMs = 30_000): Promise<NatsCluster> {
  const bin = findBinary(process.env['NATS_SERVER_BIN'] ?? 'nats-server');
  if (!bin) throw new Error('nats-server is not installed');
  const clientPorts: number[] = [];
  const routePorts: number[] = [];
  for (let i = 0; i < size; i++) {
    clientPorts.push(await freePort());
    routePorts.push(await freePort());
  }
  const routes = routePorts.map((p) => `nats://127.0.0.1:${p}`).join(',');
  const nodes: { child: ChildProcess; dir: string }[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(
      nodes.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5000).unref();
          }),
      ),
    );
    for (const { dir } of nodes) rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < size; i++) {
    const dir = mkdtempSync(join(HARNESS_ROOT, `cluster-n${i}-`));
    const args = ['-js', '-sd', join(dir, 'js'), '-a', '127.0.0.1', '-p', String(clientPorts[i]), '-n', `n${i}`, '--cluster_name', 'surveystream-test', '--cluster', `nats://127.0.0.1:${routePorts[i]}`, '--routes', routes];
    const child = spawn(bin, args, { stdio: 'ignore' });
    nodes.push({ child, dir });
    writeFileSync(join(dir, 'surveystream.lock'), JSON.stringify({ owner: process.pid, server: child.pid }));
  }
  const url = clientPorts.map((p) => `nats://127.0.0.1:${p}`).join(',');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const nc = await connect({ servers: url.split(','), timeout: 1000 });
      try {
        await (await jetstreamManager(nc)).getAccountInfo(); // fails until the meta leader is elected
        break;
      } finally {
        await nc.close();
      }
    } catch (err) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`NATS cluster not ready after ${timeoutMs} ms: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return { url, [Symbol.asyncDispose]: stop };
}
