/**
 * `surveystream watch [--district D] [--risk R[,R]] [--since ISO]`: prints predictions as they are
 * published, one JSON object per line on stdout, until interrupted.
 */
import { parseArgs } from 'node:util';
import { status, type ServiceError } from '@grpc/grpc-js';
import { Prediction, RiskCategory } from '../gen/surveystream/v1/prediction.js';
import type { WatchPredictionsResponse } from '../gen/surveystream/v1/prediction_service.js';
import { PipelineError } from '../errors.js';
import { riskFromText } from '../ingest/index.js';
import { CONNECTION_FLAGS, CONNECTION_HELP, clientOptionsFrom } from '../client/cli-options.js';
import { connectPredictions } from '../client/prediction-client.js';
import { config, reportError, type Command } from './args.js';

const USAGE = `usage: surveystream watch [--district D] [--risk low|medium|high|critical[,...]] [--since ISO|now] [connection flags]
  --district D   only this district (default: all)
  --risk R       only these risk categories, comma separated (default: all)
  --since T      start at this time (ISO 8601) and replay from there; default: from now
${CONNECTION_HELP}
Prints one JSON object per prediction; stops on Ctrl-C.
`;

const OPTIONS = {
  ...CONNECTION_FLAGS,
  district: { type: 'string', default: '' },
  risk: { type: 'string' },
  since: { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

function risks(value: string | undefined): RiskCategory[] {
  if (!value) return [];
  return value.split(',').map((r) => {
    const risk = riskFromText(r);
    if (risk === RiskCategory.RISK_CATEGORY_UNSPECIFIED || risk === RiskCategory.UNRECOGNIZED) {
      throw new PipelineError('INVALID_ARGUMENT', `unknown risk "${r}" (low, medium, high, critical)`, false);
    }
    return risk;
  });
}

function sinceMs(value: string | undefined): number | undefined {
  if (value === undefined || value === 'now') return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw new PipelineError('INVALID_ARGUMENT', `--since must be an ISO 8601 time, got "${value}"`, false);
  return ms;
}

function line(res: WatchPredictionsResponse): string {
  return `${JSON.stringify({ ...(Prediction.toJSON(res.prediction!) as object), streamSequence: res.streamSequence, publishedAtMs: res.publishedAtMs })}\n`;
}

/** The `watch` command. */
export const watchCommand: Command = async (argv) => {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: false });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    const since = sinceMs(values.since);
    using client = connectPredictions(clientOptionsFrom(values, config().grpc));
    const call = client.watch({ district: values.district, risks: risks(values.risk), ...(since !== undefined ? { sinceMs: since } : {}) });
    const stop = (): void => call.cancel();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return await new Promise<number>((resolve) => {
      call.on('data', (res: WatchPredictionsResponse) => process.stdout.write(line(res)));
      call.on('error', (err: ServiceError) => {
        if (err.code === status.CANCELLED) return resolve(0); // cancelled by us
        process.stderr.write(`surveystream: watch failed: ${err.details}\n`);
        resolve(2);
      });
      call.on('end', () => resolve(0));
    });
  } catch (err) {
    return reportError(err);
  }
};
