/**
 * The embedded nats-server is never left behind: a run that is SIGKILLed leaves an orphan server,
 * and the next start (or the test harness's global setup) kills it through the lock file.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processAlive, reapStaleServer, startEmbeddedNats } from '../../src/bus/nats-server.js';
import { HARNESS_ROOT } from '../harness/paths.js';

const alive = processAlive;

describe('embedded nats-server lifecycle', () => {
  const dir = mkdtempSync(join(HARNESS_ROOT, 'orphan-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('kills a server whose owner died, at the next start', async () => {
    const script = `
      import { startEmbeddedNats } from './src/bus/nats-server.ts';
      const s = await startEmbeddedNats({ bin: 'nats-server', storeDir: ${JSON.stringify(dir)} });
      console.log(s.pid);
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const serverPid = await new Promise<number>((resolve, reject) => {
      child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
      child.once('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    expect(alive(serverPid)).toBe(true);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    // The owner is gone without cleaning up: the server is an orphan now.
    expect(alive(serverPid)).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'surveystream.lock'), 'utf8'))).toMatchObject({ server: serverPid });

    reapStaleServer(dir);
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(serverPid)).toBe(false);

    // And the store is usable again by a new owner.
    await using again = await startEmbeddedNats({ bin: 'nats-server', storeDir: dir });
    expect(again.url).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses a store that another live surveystream process owns', () => {
    const store = join(dir, 'live');
    mkdirSync(store, { recursive: true });
    // Our parent (the test runner) is alive and is not us: it stands for another running dev.
    writeFileSync(join(store, 'surveystream.lock'), JSON.stringify({ owner: process.ppid, server: 0 }));
    expect(() => reapStaleServer(store)).toThrow(/in use by surveystream process/);
    expect(() => reapStaleServer(join(dir, 'no-lock-here'))).not.toThrow();
  });

  it('explains how to install nats-server when it is missing', async () => {
    await expect(startEmbeddedNats({ bin: 'nats-server-that-does-not-exist', storeDir: join(dir, 'x') })).rejects.toThrow(/apt-get install nats-server/);
  });
});
