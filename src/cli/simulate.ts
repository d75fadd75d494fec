/**
 * `surveystream simulate --devices N --rate R`: N field devices submitting generated surveys over
 * gRPC at R surveys/s in total, retrying UNAVAILABLE / RESOURCE_EXHAUSTED with backoff the way a
 * device app would. Records whose injected error cannot be expressed in the typed wire format
 * (text in a number field) are counted as refused on the device.
 */
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { status, type ServiceError } from '@grpc/grpc-js';
import { createIngestClient, type IngestClient } from '../client/ingest-client.js';
import { generateSurveys, type GeneratedSurvey } from '../domain/generator/index.js';
import { surveyToProto } from '../domain/survey-codec.js';
import { SubmitStatus } from '../gen/surveystream/v1/ingest.js';
import { PipelineError } from '../errors.js';
import { reportError, type Command } from './args.js';
import { GENERATOR_FLAGS, GENERATOR_HELP, generatorOptions } from './generator-options.js';

const USAGE = `usage: surveystream simulate [--target HOST:PORT] [--rate R] [generator options]
  --target HOST:PORT   gateway address (default 127.0.0.1:50051)
  --rate R             surveys per second over all devices (default 50; 0 = as fast as possible)
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

/** Runs the simulation; the generated records are shared out round-robin to `devices` loops. */
export async function simulate(target: string, records: Iterable<GeneratedSurvey>, devices: number, ratePerSec: number, onTick?: (s: SimulationStats) => void): Promise<SimulationStats> {
  const stats: SimulationStats = { accepted: 0, duplicate: 0, refusedOnDevice: 0, failed: 0, retries: 0 };
  using client = createIngestClient(target);
  const iterator = records[Symbol.iterator]();
  const start = Date.now();
  let issued = 0;
  const tick = setInterval(() => onTick?.(stats), 1000);
  const device = async (): Promise<void> => {
    for (;;) {
      const next = iterator.next();
      if (next.done) return;
      issued += 1;
      if (ratePerSec > 0) {
        const due = start + (issued / ratePerSec) * 1000;
        if (due > Date.now()) await sleep(due - Date.now());
      }
      await submitWithRetry(client, next.value, stats);
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
      options: { ...GENERATOR_FLAGS, target: { type: 'string', default: '127.0.0.1:50051' }, rate: { type: 'string', default: '50' }, help: { type: 'boolean', default: false } },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    const rate = Number(values.rate);
    if (!Number.isFinite(rate) || rate < 0) throw new PipelineError('INVALID_ARGUMENT', '--rate must be a number >= 0', false);
    const opts = generatorOptions(values);
    const started = Date.now();
    const stats = await simulate(values.target, generateSurveys(opts), opts.devices ?? 50, rate, (s) =>
      process.stderr.write(`\r${s.accepted} accepted, ${s.duplicate} duplicate, ${s.failed} failed, ${s.retries} retries   `),
    );
    const secs = (Date.now() - started) / 1000;
    process.stderr.write('\n');
    process.stdout.write(`${JSON.stringify({ ...stats, seconds: secs, per_second: Math.round((stats.accepted + stats.duplicate) / secs) })}\n`);
    return stats.failed > 0 ? 1 : 0;
  } catch (err) {
    return reportError(err);
  }
};
