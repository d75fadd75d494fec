/** openClickHouse without chDB installed (the production image): a CONFIG error naming the fix. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { openClickHouse } from '../../../src/sink/clickhouse.js';

vi.mock('chdb/connection', () => {
  throw new Error('chdb: no native binding for linux-x64');
});

describe('openClickHouse without chDB', () => {
  const dir = mkdtempSync(join(tmpdir(), 'no-chdb-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('asks for CLICKHOUSE_URL instead of failing with the loader error', async () => {
    await expect(openClickHouse(loadConfig({}).clickhouse, dir)).rejects.toMatchObject({
      code: 'CONFIG',
      message: expect.stringMatching(/^embedded ClickHouse \(chDB\) is not installed here \(.*\); set CLICKHOUSE_URL to a ClickHouse server/) as string,
    });
  });
});
