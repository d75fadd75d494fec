/**
 * The embedded NATS server: a `nats-server -js` child process on a free port with its JetStream
 * store under a directory of ours. Used by `surveystream dev`, the demo and the test harness.
 *
 * A lock file (`surveystream.lock`: owner pid + server pid) in the store directory makes a crashed
 * run harmless: the next start kills a server whose owner is gone instead of leaving it behind.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PipelineError } from '../errors.js';

export interface EmbeddedNatsOptions {
  /** Binary name or path. */
  bin: string;
  storeDir: string;
  /** 0 = a free port. */
  port?: number;
  /** ms to wait for the server to listen. @default 10000 */
  startTimeoutMs?: number;
}

export interface EmbeddedNats extends AsyncDisposable {
  readonly url: string;
  readonly pid: number;
}

const LOCK = 'surveystream.lock';

/** Finds a binary on PATH (or checks an explicit path). */
export function findBinary(bin: string): string | undefined {
  if (bin.includes('/')) return existsSync(bin) ? resolve(bin) : undefined;
  const dirs = (process.env['PATH'] ?? '').split(':').concat(['/usr/sbin', '/usr/bin', '/usr/local/bin']);
  for (const dir of dirs) {
    if (dir && existsSync(join(dir, bin))) return join(dir, bin);
  }
  return undefined;
}

/** True for a running process; a zombie (exited, not yet reaped by its parent) counts as gone. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}
const alive = processAlive;

function isNatsServer(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('nats-server');
  } catch {
    return false;
  }
}

/** Kills a server left behind by a run that died; refuses when the owner is still running. */
export function reapStaleServer(storeDir: string): void {
  const lockPath = join(storeDir, LOCK);
  if (!existsSync(lockPath)) return;
  let lock: { owner?: number; server?: number };
  try {
    lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { owner?: number; server?: number };
  } catch {
    rmSync(lockPath, { force: true });
    return;
  }
  if (lock.owner && lock.owner !== process.pid && alive(lock.owner)) {
    throw new PipelineError(
      'CONFIG',
      `the NATS store ${storeDir} is in use by surveystream process ${lock.owner}; stop it or set another data dir`,
      false,
    );
  }
  if (lock.server && alive(lock.server) && isNatsServer(lock.server)) {
    process.kill(lock.server, 'SIGKILL');
  }
  rmSync(lockPath, { force: true });
}

function readPortsUrl(path: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { nats?: string[] }).nats?.[0];
  } catch {
    return undefined;
  }
}

async function waitForPortsFile(dir: string, child: ChildProcess, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new PipelineError('UNAVAILABLE', `nats-server exited with code ${child.exitCode}`, false);
    }
    const file = readdirSync(dir).find((f) => f.endsWith('.ports') && f.includes(String(child.pid)));
    if (file) {
      // The server may still be writing the file: a partial read is retried.
      const url = readPortsUrl(join(dir, file));
      if (url) return url;
    }
    await sleep(20);
  }
  throw new PipelineError('UNAVAILABLE', `nats-server did not start within ${timeoutMs} ms`, true);
}

/** Starts `nats-server -js`; resolves once it accepts connections. */
export async function startEmbeddedNats(options: EmbeddedNatsOptions): Promise<EmbeddedNats> {
  const bin = findBinary(options.bin);
  if (!bin) {
    throw new PipelineError(
      'CONFIG',
      `nats-server not found (looked for "${options.bin}" on PATH). Install it (Debian: apt-get install nats-server), run "npm run bootstrap", or set NATS_URL to an existing server.`,
      false,
    );
  }
  const storeDir = resolve(options.storeDir);
  const runDir = join(storeDir, 'run');
  mkdirSync(runDir, { recursive: true });
  reapStaleServer(storeDir);
  const conf = join(runDir, 'nats.conf');
  writeFileSync(
    conf,
    [
      `listen: "127.0.0.1:${options.port && options.port > 0 ? options.port : -1}"`,
      `ports_file_dir: ${JSON.stringify(runDir)}`,
      `jetstream { store_dir: ${JSON.stringify(join(storeDir, 'jetstream'))} }`,
      'max_payload: 8MB',
    ].join('\n'),
  );
  const child = spawn(bin, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'], detached: false });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const pid = child.pid;
  if (pid === undefined) throw new PipelineError('UNAVAILABLE', 'could not spawn nats-server', false);
  writeFileSync(join(storeDir, LOCK), JSON.stringify({ owner: process.pid, server: pid }));
  let url: string;
  try {
    url = await waitForPortsFile(runDir, child, options.startTimeoutMs ?? 10_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new PipelineError('UNAVAILABLE', `${(err as Error).message}\n${stderr}`, false, { cause: err });
  }
  // Never leave the child behind, even when the parent exits without disposing.
  const onExit = (): void => {
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', onExit);
  let disposed = false;
  return {
    url,
    pid,
    async [Symbol.asyncDispose]() {
      if (disposed) return;
      disposed = true;
      process.removeListener('exit', onExit);
      if (child.exitCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        const killed = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
        if (!killed) child.kill('SIGKILL');
      }
      rmSync(join(storeDir, LOCK), { force: true });
    },
  };
}

/** `nats-server --version`, or undefined when it is missing. */
export function natsServerVersion(bin: string): string | undefined {
  const path = findBinary(bin);
  if (!path) return undefined;
  const out = spawnSync(path, ['--version'], { encoding: 'utf8' });
  return out.stdout.trim() || undefined;
}

/**
 * The URL of an embedded server that a live surveystream process runs on this store, if any, so
 * that operator commands (`dlq`, `streams apply`) talk to the running pipeline.
 */
export function runningEmbeddedNatsUrl(storeDir: string): string | undefined {
  const dir = resolve(storeDir);
  try {
    const lock = JSON.parse(readFileSync(join(dir, LOCK), 'utf8')) as { owner?: number; server?: number };
    if (!lock.owner || !lock.server || !alive(lock.owner) || !alive(lock.server)) return undefined;
    const runDir = join(dir, 'run');
    const file = readdirSync(runDir).find((f) => f.endsWith('.ports') && f.includes(String(lock.server)));
    return file ? readPortsUrl(join(runDir, file)) : undefined;
  } catch {
    return undefined;
  }
}
