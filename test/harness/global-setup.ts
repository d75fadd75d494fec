/**
 * Integration global setup: fails fast when nats-server is missing, and kills nats-servers that a
 * crashed earlier run left behind (their lock file names an owner process that no longer exists).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findBinary, reapStaleServer } from '../../src/bus/nats-server.js';
import { HARNESS_ROOT } from './paths.js';

function reapAll(): void {
  if (!existsSync(HARNESS_ROOT)) return;
  for (const name of readdirSync(HARNESS_ROOT)) {
    const dir = join(HARNESS_ROOT, name);
    try {
      for (const sub of ['nats', '.']) {
        const store = join(dir, sub);
        if (existsSync(join(store, 'surveystream.lock'))) reapStaleServer(store);
      }
      // Old run directories (over an hour) are removed; live ones belong to a parallel run.
      if (Date.now() - statSync(dir).mtimeMs > 3_600_000) rmSync(dir, { recursive: true, force: true });
    } catch {
      // owned by a live run: leave it
    }
  }
}

export default function setup(): () => void {
  if (!findBinary(process.env['NATS_SERVER_BIN'] ?? 'nats-server')) {
    throw new Error('nats-server is not installed: run "npm run bootstrap" (Debian: apt-get install nats-server)');
  }
  mkdirSync(HARNESS_ROOT, { recursive: true });
  reapAll();
  return reapAll;
}
