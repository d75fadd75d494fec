/** `surveystream streams apply` and `surveystream migrate`: apply the declarative topology and schema. */
import { join, resolve } from 'node:path';
import { connectBus } from '../bus/nats.js';
import { startEmbeddedNats } from '../bus/nats-server.js';
import { applyStreams, loadStreamSpecs } from '../bus/streams.js';
import { DisposeStack } from '../lifecycle.js';
import { openClickHouse } from '../sink/clickhouse.js';
import { migrate } from '../sink/migrations.js';
import { config, reportError, type Command } from './args.js';

export const streamsCommand: Command = async (args) => {
  if (args[0] !== 'apply') {
    process.stderr.write('usage: surveystream streams apply\n');
    return 2;
  }
  const stack = new DisposeStack();
  try {
    const cfg = config();
    const specs = loadStreamSpecs(resolve(cfg.nats.streamsDir));
    let url = cfg.nats.url;
    if (!url) {
      const server = stack.use('nats-server', await startEmbeddedNats({ bin: cfg.nats.serverBin, storeDir: cfg.nats.storeDir ?? join(cfg.dataDir, 'nats') }));
      url = server.url;
    }
    const bus = stack.use('nats', await connectBus(cfg.nats, url, 'surveystream-admin'));
    const replicas = Number(process.env['NATS_STREAM_REPLICAS'] ?? '1');
    for (const r of await applyStreams(bus.jsm, specs, replicas)) {
      process.stdout.write(`${r.kind.padEnd(8)} ${r.name.padEnd(28)} ${r.action}\n`);
    }
    return 0;
  } catch (err) {
    return reportError(err);
  } finally {
    await stack[Symbol.asyncDispose]().catch(() => undefined);
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
