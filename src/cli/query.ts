/**
 * `surveystream query "SQL"`: runs a read query on the configured ClickHouse (the embedded chDB
 * store when CLICKHOUSE_URL is unset; stop `dev` first, chDB allows one process per store) and
 * prints the rows as a table or as JSON lines.
 */
import { parseArgs } from 'node:util';
import { PipelineError } from '../errors.js';
import { openClickHouse } from '../sink/clickhouse.js';
import { config, reportError, type Command } from './args.js';

export const queryCommand: Command = async (argv) => {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } }, allowPositionals: true });
    const sql = positionals.join(' ').trim();
    if (!sql) {
      process.stderr.write('usage: surveystream query [--json] "SELECT ..."\n');
      return 2;
    }
    const cfg = config();
    await using ch = await openClickHouse(cfg.clickhouse, cfg.dataDir);
    // readonly=2: reads only, settings allowed; a write statement is refused by ClickHouse itself.
    let rows: Record<string, unknown>[];
    try {
      const rs = await ch.client.query({ query: sql, format: 'JSONEachRow', clickhouse_settings: { readonly: '2' } });
      rows = await rs.json<Record<string, unknown>>();
    } catch (err) {
      throw new PipelineError('INVALID_ARGUMENT', `query failed: ${(err as Error).message.trim()}`, false, { cause: err });
    }
    if (values.json) {
      for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
      return 0;
    }
    const cols = Object.keys(rows[0] ?? {});
    const cell = (v: unknown): string => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
    const widths = cols.map((c) => Math.min(40, Math.max(c.length, ...rows.map((r) => cell(r[c]).length))));
    process.stdout.write(`${cols.map((c, i) => c.padEnd(widths[i]!)).join('  ')}\n`);
    for (const r of rows) process.stdout.write(`${cols.map((c, i) => cell(r[c]).slice(0, 40).padEnd(widths[i]!)).join('  ')}\n`);
    process.stdout.write(`${rows.length} row(s)\n`);
    return 0;
  } catch (err) {
    return reportError(err);
  }
};
