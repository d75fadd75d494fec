/**
 * A whole pipeline for one test file: its own nats-server (random port, temp store), chDB in a temp
 * dir, the gateway on a real loopback socket and a worker. Disposing it drains and removes all.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startRoles, type RoleExtras, type RunningRoles } from '../../src/cli/serve.js';
import { createIngestClient, type IngestClient } from '../../src/client/ingest-client.js';
import { HARNESS_ROOT } from './paths.js';

export interface TestPipeline extends AsyncDisposable {
  readonly running: RunningRoles;
  readonly client: IngestClient;
  readonly address: string;
  readonly dataDir: string;
  /** Rows of a query on the pipeline's ClickHouse. */
  query<T>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
}

export interface TestPipelineOptions extends RoleExtras {
  /** Reuse a data dir (a restart); it is then not removed on dispose. */
  dataDir?: string;
}

export async function startTestPipeline(overrides: Record<string, unknown> = {}, opts: TestPipelineOptions = {}): Promise<TestPipeline> {
  mkdirSync(HARNESS_ROOT, { recursive: true });
  const dataDir = opts.dataDir ?? mkdtempSync(join(HARNESS_ROOT, 'run-'));
  const running = await startRoles('dev', {
    dataDir,
    'grpc.port': 0,
    'http.port': -1,
    'log.level': process.env['TEST_LOG_LEVEL'] ?? 'silent',
    'worker.flushIntervalMs': 50,
    // Roles a test does not exercise stay off (each costs CPU and teardown time); tests opt in.
    'monitor.enabled': false,
    'archive.enabled': false,
    'trainer.enabled': false,
    ...overrides,
  }, opts);
  const address = `127.0.0.1:${running.grpcPort!}`;
  const client = createIngestClient(address);
  const { ch } = running.infra;
  return {
    running,
    client,
    address,
    dataDir,
    async query<T>(sql: string, params: Record<string, unknown> = {}) {
      const rs = await ch.client.query({ query: sql.replaceAll('{db}', ch.database), query_params: params, format: 'JSONEachRow' });
      return rs.json<T>();
    },
    async [Symbol.asyncDispose]() {
      client[Symbol.dispose]();
      try {
        await running[Symbol.asyncDispose]();
      } finally {
        if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** Polls until `check` returns a truthy value or the timeout passes. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`, { cause: last });
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
