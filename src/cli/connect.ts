/**
 * NATS for operator commands: NATS_URL when set; else the embedded server of a running
 * `surveystream dev` on the same data dir; else an embedded server started just for this command.
 */
import { join } from 'node:path';
import type { Config } from '../config.js';
import { connectBus, type Bus } from '../bus/nats.js';
import { runningEmbeddedNatsUrl, startEmbeddedNats } from '../bus/nats-server.js';
import { DisposeStack } from '../lifecycle.js';

export interface CliBus extends AsyncDisposable {
  readonly bus: Bus;
}

export async function connectCliBus(cfg: Readonly<Config>, name: string): Promise<CliBus> {
  const stack = new DisposeStack();
  try {
    const storeDir = cfg.nats.storeDir ?? join(cfg.dataDir, 'nats');
    let url = cfg.nats.url ?? runningEmbeddedNatsUrl(storeDir);
    if (!url) {
      const server = stack.use('nats-server', await startEmbeddedNats({ bin: cfg.nats.serverBin, storeDir }));
      url = server.url;
    }
    const bus = stack.use('nats', await connectBus(cfg.nats, url, name));
    return { bus, [Symbol.asyncDispose]: () => stack[Symbol.asyncDispose]() };
  } catch (err) {
    await stack[Symbol.asyncDispose]().catch(() => undefined);
    throw err;
  }
}
