/** `surveystream streams apply` and `surveystream migrate`: apply the declarative topology and schema. */
import { resolve } from 'node:path';
import { openClickHouse } from '../sink/clickhouse.js';
import { migrate } from '../sink/migrations.js';
import { applyBusTopology } from '../runtime.js';
import { config, reportError, type Command } from './args.js';
import { connectCliBus } from './connect.js';

export const streamsCommand: Command = async (args) => {
  if (args[0] !== 'apply') {
    process.stderr.write('usage: surveystream streams apply\n');
    return 2;
  }
  try {
    const cfg = config();
    await using conn = await connectCliBus(cfg, 'surveystream-admin');
    for (const r of await applyBusTopology(conn.bus, cfg)) {
      process.stdout.write(`${r.kind.padEnd(8)} ${r.name.padEnd(28)} ${r.action}\n`);
    }
    return 0;
  } catch (err) {
    return reportError(err);
  }
};

export const migrateCommand: Command = async () => {
  try {
    const cfg = config();
    await using ch = await openClickHouse(cfg.clickhouse, cfg.dataDir);
    const report = await migrate(ch, resolve(cfg.clickhouse.migrationsDir));
    for (const name of report.applied) process.stdout.write(`applied  ${name}\n`);
    for (const name of report.skipped) process.stdout.write(`current  ${name}\n`);
    return 0;
  } catch (err) {
    return reportError(err);
  }
};
