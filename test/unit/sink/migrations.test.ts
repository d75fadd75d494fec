import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadMigrations, splitStatements } from '../../../src/sink/migrations.js';

describe('migrations', () => {
  it('splits statements on ";" at line ends and drops comment-only pieces', () => {
    const sql = "-- header\nCREATE TABLE a (x String DEFAULT ';');\n\n-- only a comment;\nCREATE TABLE b (y UInt8);\n";
    expect(splitStatements(sql)).toEqual(["-- header\nCREATE TABLE a (x String DEFAULT ';')", 'CREATE TABLE b (y UInt8)']);
  });

  it('loads the repository migrations in order with the database substituted', () => {
    const dir = fileURLToPath(new URL('../../../deploy/clickhouse', import.meta.url));
    const migrations = loadMigrations(dir, 'analytics');
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations.map((m) => m.version)).toEqual([...migrations.map((m) => m.version)].sort((a, b) => a - b));
    const all = migrations.flatMap((m) => m.statements).join('\n');
    expect(all).toContain('analytics.surveys');
    expect(all).not.toContain('{{database}}');
  });
});
