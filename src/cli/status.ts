/** `surveystream status ID`: an ingestion's counts per stage and state (GetIngestionStatus). */
import { parseArgs } from 'node:util';
import { status, type ServiceError } from '@grpc/grpc-js';
import { IngestionStatus } from '../gen/surveystream/v1/ingest.js';
import { CONNECTION_FLAGS, CONNECTION_HELP, clientOptionsFrom } from '../client/cli-options.js';
import { connectIngest } from '../client/ingest-client.js';
import { statusText } from '../client/status-text.js';
import { config, reportError, type Command } from './args.js';

const USAGE = `usage: surveystream status INGESTION_ID [--json] [connection flags]
${CONNECTION_HELP}
`;

const OPTIONS = { ...CONNECTION_FLAGS, json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } as const;

/** The `status` command. */
export const statusCommand: Command = async (argv) => {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length !== 1) {
    process.stderr.write(USAGE);
    return values.help ? 0 : 2;
  }
  try {
    using client = connectIngest(clientOptionsFrom(values, config().grpc));
    const found = await client.status(positionals[0]!);
    process.stdout.write(values.json ? `${JSON.stringify(IngestionStatus.toJSON(found), null, 2)}\n` : statusText(found));
    return 0;
  } catch (err) {
    const e = err as Partial<ServiceError>;
    if (typeof e.code === 'number') {
      process.stderr.write(`surveystream: ${e.details ?? e.message ?? 'failed'}\n`);
      return e.code === status.NOT_FOUND ? 1 : 2;
    }
    return reportError(err);
  }
};
