/**
 * `surveystream simulate --devices N --rate R`: N field devices sending generated surveys over gRPC
 * at R surveys/s in total. By default each device works offline and syncs its backlog every
 * `--burst` surveys over one StreamSurveys call (one ack per record, resumed after a dropped
 * connection); `--unary` sends each survey with SubmitSurvey instead. Both retry UNAVAILABLE /
 * RESOURCE_EXHAUSTED with backoff the way a device app would. Records whose injected error cannot
 * be expressed in the typed wire format (text in a number field) are refused on the device.
 */
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { status, type ServiceError } from '@grpc/grpc-js';
import { sendBacklog } from '../client/backlog.js';
import { CONNECTION_FLAGS, CONNECTION_HELP, clientOptionsFrom } from '../client/cli-options.js';
import type { ClientOptions } from '../client/connection.js';
import { connectIngest, createIngestClient, type IngestClient } from '../client/ingest-client.js';
import { generateSurveys, type GeneratedSurvey } from '../domain/generator/index.js';
import { surveyToProto } from '../domain/survey-codec.js';
import { SubmitStatus } from '../gen/surveystream/v1/ingest.js';
import { PipelineError } from '../errors.js';
import { config, reportError, type Command } from './args.js';
import { GENERATOR_FLAGS, GENERATOR_HELP, generatorOptions } from './generator-options.js';

const USAGE = `usage: surveystream simulate [--rate R] [--burst N | --unary] [connection] [generator options]
  --rate R             surveys per second over all devices (default 50; 0 = as fast as possible)
  --burst N            surveys a device collects offline, then syncs over one StreamSurveys call (default 20)
  --unary              send each survey with SubmitSurvey instead of streaming backlogs
${CONNECTION_HELP}
${GENERATOR_HELP}`;

export interface SimulationStats {
  accepted: number;
  duplicate: number;
  refusedOnDevice: number;
  failed: number;
  retries: number;
}

const RETRYABLE = new Set<number>([status.UNAVAILABLE, status.RESOURCE_EXHAUSTED, status.DEADLINE_EXCEEDED]);

async function submitWithRetry(client: IngestClient, s: GeneratedSurvey, stats: SimulationStats): Promise<void> {
  const { survey, errors } = surveyToProto(s);
  if (errors.length > 0) {
    stats.refusedOnDevice += 1;
    return;
  }
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await client.submit(survey);
      if (res.status === SubmitStatus.SUBMIT_STATUS_DUPLICATE) stats.duplicate += 1;
      else stats.accepted += 1;
      return;
    } catch (err) {
      const code = (err as ServiceError).code;
      if (!RETRYABLE.has(code) || attempt >= 8) {
        stats.failed += 1;
        return;
      }
      stats.retries += 1;
      await sleep(Math.min(5000, 100 * 2 ** attempt));
    }
  }
}

async function syncBacklog(client: IngestClient, batch: GeneratedSurvey[], stats: SimulationStats): Promise<void> {
  const surveys = [];
  for (const s of batch) {
    const { survey, errors } = surveyToProto(s);
    if (errors.length > 0) stats.refusedOnDevice += 1;
    else surveys.push(survey);
  }
  try {
    const r = await sendBacklog(client, surveys);
    stats.accepted += r.accepted;
    stats.duplicate += r.duplicate;
    stats.failed += r.rejected.length;
    stats.retries += r.attempts - 1;
  } catch {
    stats.failed += surveys.length;
  }
}

export interface SimulationOptions {
  devices: number;
  /** Surveys per second over all devices; 0 = as fast as possible. */
  ratePerSec: number;
  /** Stream mode: surveys a device collects offline before it syncs them in one call. 0 = unary SubmitSurvey per survey. */
  burst: number;
  onTick?: (s: SimulationStats) => void;
}

/** Runs the simulation; the generated records are shared out to `devices` loops. */
export async function simulate(connection: string | ClientOptions, records: Iterable<GeneratedSurvey>, opts: SimulationOptions): Promise<SimulationStats> {
  const { devices, ratePerSec, onTick } = opts;
  const burst = Math.max(0, Math.trunc(opts.burst));
  const stats: SimulationStats = { accepted: 0, duplicate: 0, refusedOnDevice: 0, failed: 0, retries: 0 };
  using client = typeof connection === 'string' ? createIngestClient(connection) : connectIngest(connection);
  const iterator = records[Symbol.iterator]();
  const start = Date.now();
  let issued = 0;
  const tick = setInterval(() => onTick?.(stats), 1000);
  const device = async (): Promise<void> => {
    for (;;) {
      const batch: GeneratedSurvey[] = [];
      for (let k = 0; k < Math.max(1, burst); k++) {
        const next = iterator.next();
        if (next.done) break;
        batch.push(next.value);
      }
      if (batch.length === 0) return;
      issued += batch.length;
      if (ratePerSec > 0) {
        const due = start + (issued / ratePerSec) * 1000;
        if (due > Date.now()) await sleep(due - Date.now());
      }
      if (burst === 0) await submitWithRetry(client, batch[0]!, stats);
      else await syncBacklog(client, batch, stats);
    }
  };
  try {
    await Promise.all(Array.from({ length: devices }, device));
  } finally {
    clearInterval(tick);
  }
  return stats;
}

export const simulateCommand: Command = async (argv) => {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        ...GENERATOR_FLAGS,
        ...CONNECTION_FLAGS,
        rate: { type: 'string', default: '50' },
        burst: { type: 'string', default: '20' },
        unary: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    const rate = Number(values.rate);
    if (!Number.isFinite(rate) || rate < 0) throw new PipelineError('INVALID_ARGUMENT', '--rate must be a number >= 0', false);
    const opts = generatorOptions(values);
    const started = Date.now();
    const burst = values.unary ? 0 : Number(values.burst);
    if (!Number.isInteger(burst) || burst < 1) throw new PipelineError('INVALID_ARGUMENT', '--burst must be a positive integer', false);
    const stats = await simulate(clientOptionsFrom(values, config().grpc), generateSurveys(opts), {
      devices: opts.devices ?? 50,
      ratePerSec: rate,
      burst,
      onTick: (s) => process.stderr.write(`\r${s.accepted} accepted, ${s.duplicate} duplicate, ${s.failed} failed, ${s.retries} retries   `),
    });
    const secs = (Date.now() - started) / 1000;
    process.stderr.write('\n');
    process.stdout.write(`${JSON.stringify({ ...stats, seconds: secs, per_second: Math.round((stats.accepted + stats.duplicate) / secs) })}\n`);
    return stats.failed > 0 ? 1 : 0;
  } catch (err) {
    return reportError(err);
  }
};
