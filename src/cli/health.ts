/**
 * `surveystream health [--json]`: prints the health score. Asks a running monitor over NATS
 * (`monitor.v1.health`; found like the other operator commands: NATS_URL, else the embedded server
 * of a running `dev` on the same data dir); when none answers, computes it from ClickHouse itself
 * (CLICKHOUSE_URL, or the embedded store when no `dev` holds it). Exit 0 Excellent/Good,
 * 1 Warning/Critical.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { computeHealth, HEALTH_SUBJECT, type HealthReport } from '../monitor/index.js';
import { readModelDir } from '../score/model-dir.js';
import { openClickHouse } from '../sink/clickhouse.js';
import { config, reportError, type Command } from './args.js';
import { connectCliBus } from './connect.js';

async function askMonitor(cfg: Readonly<Config>): Promise<HealthReport | undefined> {
  try {
    await using cli = await connectCliBus(cfg, 'surveystream-health');
    const reply = await cli.bus.nc.request(HEALTH_SUBJECT, '', { timeout: 3000 });
    return reply.json<HealthReport>();
  } catch {
    return undefined;
  }
}

async function computeHere(cfg: Readonly<Config>): Promise<HealthReport> {
  await using ch = await openClickHouse(cfg.clickhouse, cfg.dataDir);
  const modelPath = cfg.monitor.modelPath ?? cfg.model.path;
  const cardF1 = modelPath === 'none' ? null : readModelDir(resolve(modelPath)).card.metrics.f1;
  return await computeHealth(ch, { lookbackMs: cfg.monitor.lookbackMs, cardF1, consumerStalled: false });
}

function print(h: HealthReport, source: string): void {
  process.stdout.write(`health ${h.score.toFixed(3)} ${h.status} (${source}, ${h.computed_at})\n`);
  for (const [k, v] of Object.entries(h.components)) process.stdout.write(`  ${k.padEnd(18)} ${Number(v).toFixed(3)}\n`);
  for (const [k, v] of Object.entries(h.details)) process.stdout.write(`  ${k.padEnd(18)} ${String(v)}\n`);
}

/** Prints the health report (text or `--json`). */
export const healthCommand: Command = async (argv) => {
  try {
    const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } } });
    const cfg = config();
    const asked = await askMonitor(cfg);
    const report = asked ?? (await computeHere(cfg));
    if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else print(report, asked ? 'running monitor' : 'computed from ClickHouse; consumer state not checked');
    return report.score >= 0.8 ? 0 : 1;
  } catch (err) {
    return reportError(err);
  }
};
