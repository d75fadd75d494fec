/**
 * /readyz follows the NATS connection: a role whose NATS server goes away answers 503
 * (NATS_DISCONNECTED) while the client reconnects, and 200 again once it has.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedNats, type EmbeddedNats } from '../../src/bus/nats-server.js';
import { startRoles } from '../../src/cli/serve.js';
import { eventually } from '../harness/pipeline.js';
import { HARNESS_ROOT } from '../harness/paths.js';
import { freePort } from '../harness/nats-cluster.js';

describe('readiness', () => {
  const dir = mkdtempSync(join(HARNESS_ROOT, 'ready-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is not ready while NATS is gone, and ready again after the reconnect', async () => {
    const port = await freePort();
    const storeDir = join(dir, 'nats');
    let nats: EmbeddedNats | undefined = await startEmbeddedNats({ bin: 'nats-server', storeDir, port });
    try {
      await using running = await startRoles('gateway', { dataDir: dir, 'nats.url': nats.url, 'http.port': 0, 'grpc.port': 0, 'log.level': 'silent' });
      const readyz = async (): Promise<{ status: number; body: { ready: boolean; state: string } }> => {
        const res = await fetch(`http://127.0.0.1:${running.httpPort!}/readyz`);
        return { status: res.status, body: (await res.json()) as { ready: boolean; state: string } };
      };
      expect(await readyz()).toEqual({ status: 200, body: { ready: true, state: 'RUNNING' } });
      await nats[Symbol.asyncDispose]();
      nats = undefined;
      await eventually(async () => (await readyz()).status === 503, 20_000, 100);
      expect((await readyz()).body).toEqual({ ready: false, state: 'NATS_DISCONNECTED' });
      expect((await fetch(`http://127.0.0.1:${running.httpPort!}/livez`)).status).toBe(200); // alive: do not restart it
      nats = await startEmbeddedNats({ bin: 'nats-server', storeDir, port });
      await eventually(async () => (await readyz()).status === 200, 30_000, 200);
    } finally {
      await nats?.[Symbol.asyncDispose]();
    }
  }, 90_000);
});
