/**
 * Ordered, idempotent ClickHouse migrations from `deploy/clickhouse/NNNN_name.sql`. Each applied
 * file is recorded in `schema_migrations` with its checksum; an applied file that changed later
 * is an error (write a new migration instead).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PipelineError } from '../errors.js';
import type { ClickHouse } from './clickhouse.js';

export interface Migration {
  version: number;
  name: string;
  checksum: string;
  statements: string[];
}

/** Splits a SQL file into statements on `;` at the end of a line; drops comment-only pieces. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.split('\n').some((line) => line.trim() !== '' && !line.trim().startsWith('--')));
}

export function loadMigrations(dir: string, database: string): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort();
  return files.map((file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    return {
      version: Number(file.slice(0, 4)),
      name: file,
      checksum: createHash('sha256').update(text).digest('hex'),
      statements: splitStatements(text.replaceAll('{{database}}', database)),
    };
  });
}

export interface MigrationReport {
  applied: string[];
  skipped: string[];
}

export async function migrate(ch: ClickHouse, dir: string): Promise<MigrationReport> {
  const db = ch.database;
  await ch.client.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` });
  await ch.client.command({
    query: `CREATE TABLE IF NOT EXISTS ${db}.schema_migrations
      (version UInt32, name String, checksum String, applied_at DateTime64(3, 'UTC'))
      ENGINE = MergeTree ORDER BY version`,
  });
  const rows = await ch.client.query({
    query: `SELECT version, name, checksum FROM ${db}.schema_migrations ORDER BY version`,
    format: 'JSONEachRow',
  });
  const applied = new Map(
    (await rows.json<{ version: number; name: string; checksum: string }>()).map((r) => [r.version, r]),
  );
  const report: MigrationReport = { applied: [], skipped: [] };
  for (const m of loadMigrations(dir, db)) {
    const done = applied.get(m.version);
    if (done) {
      if (done.checksum !== m.checksum) {
        throw new PipelineError(
          'CONFIG',
          `migration ${m.name} changed after it was applied (checksum differs); add a new migration instead`,
          false,
        );
      }
      report.skipped.push(m.name);
      continue;
    }
    for (const statement of m.statements) {
      try {
        await ch.client.command({ query: statement });
      } catch (err) {
        throw new PipelineError('CONFIG', `migration ${m.name} failed: ${(err as Error).message}`, false, {
          cause: err,
        });
      }
    }
    await ch.client.insert({
      table: `${db}.schema_migrations`,
      values: [{ version: m.version, name: m.name, checksum: m.checksum, applied_at: Date.now() }],
      format: 'JSONEachRow',
    });
    report.applied.push(m.name);
  }
  return report;
}
