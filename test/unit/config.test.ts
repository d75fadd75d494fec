import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_ENV_MAP, CONFIG_ENV_VARS, ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('uses the embedded defaults when no URL is set', () => {
    const cfg = loadConfig({});
    expect(cfg.nats.url).toBeUndefined();
    expect(cfg.clickhouse.url).toBeUndefined();
    expect(cfg.dataDir).toBe('./data');
    expect(cfg.clickhouse.database).toBe('surveystream');
    expect(cfg.worker.maxBatchRows).toBe(1000);
  });

  it('reads production URLs and numbers from the environment', () => {
    const cfg = loadConfig({ NATS_URL: 'nats://a:4222', CLICKHOUSE_URL: 'http://ch:8123', GRPC_PORT: '6000', WORKER_MAX_BATCH_ROWS: '42', SURVEYSTREAM_MIGRATE: 'false' });
    expect(cfg.nats.url).toBe('nats://a:4222');
    expect(cfg.clickhouse.url).toBe('http://ch:8123');
    expect(cfg.grpc.port).toBe(6000);
    expect(cfg.worker.maxBatchRows).toBe(42);
    expect(cfg.clickhouse.migrate).toBe(false);
  });

  it('lets the environment win over the config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ grpc: { port: 7000 }, worker: { flushIntervalMs: 99 } }));
    const cfg = loadConfig({ SURVEYSTREAM_CONFIG: file, GRPC_PORT: '7001' });
    expect(cfg.grpc.port).toBe(7001);
    expect(cfg.worker.flushIntervalMs).toBe(99);
  });

  it('fails with a readable message naming the bad setting', () => {
    expect(() => loadConfig({ GRPC_PORT: 'http' })).toThrow(ConfigError);
    expect(() => loadConfig({ GRPC_PORT: 'http' })).toThrow(/grpc\.port/);
    expect(() => loadConfig({ WORKER_MAX_BATCH_ROWS: '0' })).toThrow(/worker\.maxBatchRows/);
    expect(() => loadConfig({ CLICKHOUSE_DATABASE: 'x; DROP' })).toThrow(/clickhouse\.database/);
  });

  it('reports an unreadable config file', () => {
    expect(() => loadConfig({ SURVEYSTREAM_CONFIG: '/nonexistent/c.json' })).toThrow(/cannot read config file/);
  });

  it('returns a frozen object', () => {
    const cfg = loadConfig({});
    expect(Object.isFrozen(cfg)).toBe(true);
    expect(Object.isFrozen(cfg.worker)).toBe(true);
  });

  it('lets every setting with a default be set from the environment', () => {
    const defaults = loadConfig({}) as unknown as Record<string, unknown>;
    const leaves: [string, unknown][] = [];
    const walk = (o: Record<string, unknown>, at: string): void => {
      for (const [k, v] of Object.entries(o)) {
        const path = at ? `${at}.${k}` : k;
        if (v !== null && typeof v === 'object' && !Array.isArray(v)) walk(v as Record<string, unknown>, path);
        else leaves.push([path, v]);
      }
    };
    walk(defaults, '');
    expect(leaves.length).toBeGreaterThan(60);
    const mapped = new Set(Object.values(CONFIG_ENV_MAP));
    expect(leaves.map(([path]) => path).filter((path) => !mapped.has(path))).toEqual([]);
    for (const [name, path] of Object.entries(CONFIG_ENV_MAP)) expect(CONFIG_ENV_VARS, path).toContain(name);
  });
});
