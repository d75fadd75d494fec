/**
 * ClickHouse through @clickhouse/client: a server when CLICKHOUSE_URL is set, otherwise chDB
 * in-process behind the same client API. Only the connection differs; SQL is the same.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import type * as ChdbConnectionModule from 'chdb/connection';
import type { Config } from '../config.js';
import { PipelineError } from '../errors.js';

// chdb types its connection against client-common's Connection, nominally different from the one
// @clickhouse/client bundles (STACK_NOTES §2): one cast, here only.
type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

export interface ClickHouse extends AsyncDisposable {
  readonly client: ClickHouseClient;
  /** Database every table lives in; SQL qualifies tables with it. */
  readonly database: string;
  readonly kind: 'chdb' | 'server';
}

async function chdbConnection(path: string): Promise<ClientConnection> {
  mkdirSync(path, { recursive: true });
  let createChdbConnection: typeof ChdbConnectionModule.createChdbConnection;
  try {
    ({ createChdbConnection } = await import('chdb/connection'));
  } catch (err) {
    throw new PipelineError(
      'CONFIG',
      `embedded ClickHouse (chDB) is not installed here (${(err as Error).message.split('\n')[0]}); set CLICKHOUSE_URL to a ClickHouse server (the production image leaves chDB out), or install the chdb package`,
      false,
      { cause: err },
    );
  }
  try {
    return createChdbConnection({ path }) as unknown as ClientConnection;
  } catch (err) {
    throw new PipelineError(
      'UNAVAILABLE',
      `cannot open embedded ClickHouse (chDB) at ${path}: ${(err as Error).message}. chDB allows one process per data directory; is another surveystream running on it?`,
      false,
      { cause: err },
    );
  }
}

/** Opens ClickHouse per config and checks that it answers. */
export async function openClickHouse(cfg: Config['clickhouse'], dataDir: string): Promise<ClickHouse> {
  let client: ClickHouseClient;
  let kind: ClickHouse['kind'];
  if (cfg.url) {
    kind = 'server';
    client = createClient({
      url: cfg.url,
      username: cfg.username,
      password: cfg.password,
      clickhouse_settings: { date_time_input_format: 'best_effort' },
    });
  } else {
    kind = 'chdb';
    const path = resolve(cfg.dataDir ?? `${dataDir}/clickhouse`);
    client = createClient({ connection: await chdbConnection(path) });
  }
  const ping = await client.ping();
  if (!ping.success) {
    await client.close();
    throw new PipelineError('UNAVAILABLE', `ClickHouse does not answer: ${String(ping.error)}`, true, {
      cause: ping.error,
    });
  }
  let closed = false;
  return {
    client,
    database: cfg.database,
    kind,
    async [Symbol.asyncDispose]() {
      if (closed) return;
      closed = true;
      await client.close();
    },
  };
}
