/**
 * `surveystream upload FILE`: sends a file with UploadFile, showing a progress bar on stderr (bytes
 * while sending, then rows while the gateway publishes and the worker stores them), and prints
 * the final status. Exit code: 0 complete, 3 partial (some rows rejected or dead-lettered),
 * 1 failed, 2 usage or connection problems.
 */
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceError } from '@grpc/grpc-js';
import { IngestionState, IngestionStatus } from '../gen/surveystream/v1/ingest.js';
import { PipelineError } from '../errors.js';
import { CONNECTION_FLAGS, CONNECTION_HELP, clientOptionsFrom } from '../client/cli-options.js';
import { connectIngest, type IngestClient } from '../client/ingest-client.js';
import { bar, bytes, formatFromFlag, rowsLine, statusText } from '../client/status-text.js';
import { uploadFile } from '../client/upload.js';
import { config, reportError, type Command } from './args.js';

const USAGE = `usage: surveystream upload FILE [--format csv|xlsx|json|ndjson|parquet] [--meta KEY=VALUE ...]
                           [--no-wait] [--wait-seconds N] [--json] [connection flags]
  --format F         file format (default: from the file name)
  --meta KEY=VALUE   metadata kept with the ingestion (device_id / field_officer_id fill rows without one)
  --no-wait          return once the file is accepted (state running) instead of waiting for its rows
  --wait-seconds N   how long to wait for the rows to be stored (default 300)
  --json             print the final status as JSON
${CONNECTION_HELP}
exit code: 0 complete, 3 partial, 1 failed, 2 usage or connection errors
`;

const OPTIONS = {
  ...CONNECTION_FLAGS,
  format: { type: 'string' },
  meta: { type: 'string', multiple: true },
  'no-wait': { type: 'boolean', default: false },
  'wait-seconds': { type: 'string', default: '300' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

/** Writes a progress line on stderr, at most every 200 ms (and always when `force`). */
function progressWriter(): (line: string, force?: boolean) => void {
  let last = 0;
  const tty = process.stderr.isTTY;
  return (line, force = false) => {
    const now = Date.now();
    if (!force && now - last < (tty ? 200 : 2000)) return;
    last = now;
    process.stderr.write(tty ? `\r${line}\u001b[K` : `${line}\n`);
  };
}

function metadata(pairs: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new PipelineError('INVALID_ARGUMENT', `--meta expects KEY=VALUE, got "${pair}"`, false);
    out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

async function follow(client: IngestClient, first: IngestionStatus, waitMs: number, show: (l: string, f?: boolean) => void): Promise<IngestionStatus> {
  let status = first;
  const deadline = Date.now() + waitMs;
  while (status.state === IngestionState.INGESTION_STATE_RUNNING && Date.now() < deadline) {
    const settled = status.rowsStored + status.rowsDeadLettered + status.rowsRejected;
    show(`rows  ${bar(settled, status.rowsReceived)} ${rowsLine(status)}`);
    await sleep(500);
    status = await client.status(status.ingestionId);
  }
  const settled = status.rowsStored + status.rowsDeadLettered + status.rowsRejected;
  show(`rows  ${bar(settled, status.rowsReceived)} ${rowsLine(status)}`, true);
  if (process.stderr.isTTY) process.stderr.write('\n');
  return status;
}

function exitCode(s: IngestionStatus): number {
  if (s.state === IngestionState.INGESTION_STATE_FAILED) return 1;
  return s.state === IngestionState.INGESTION_STATE_PARTIAL ? 3 : 0;
}

function failure(err: unknown): number {
  const e = err as Partial<ServiceError>;
  if (typeof e.code !== 'number' || !e.metadata) return reportError(err);
  const [id] = e.metadata.get('x-detail-ingestion-id');
  const [reason] = e.metadata.get('x-detail-reason');
  process.stderr.write(`\nsurveystream: upload refused: ${e.details ?? e.message ?? ''}${reason ? ` [${String(reason)}]` : ''}${id ? ` (ingestion ${String(id)})` : ''}\n`);
  return id ? 1 : 2;
}

/** The `upload` command. */
export const uploadCommand: Command = async (argv) => {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [file] = positionals;
  if (values.help || !file || positionals.length > 1) {
    process.stderr.write(USAGE);
    return values.help ? 0 : 2;
  }
  const format = values.format === undefined ? undefined : formatFromFlag(values.format);
  if (values.format !== undefined && format === undefined) return reportError(new PipelineError('INVALID_ARGUMENT', `unknown --format "${values.format}"`, false));
  let client: IngestClient;
  try {
    client = connectIngest(clientOptionsFrom(values, config().grpc));
  } catch (err) {
    return reportError(err);
  }
  const show = progressWriter();
  try {
    const result = await uploadFile(client, {
      path: file,
      metadata: metadata(values.meta),
      ...(format !== undefined ? { format } : {}),
      onIngestionId: (id) => show(`ingestion ${id}`, true),
      onProgress: (sent, total) => show(`bytes ${bar(sent, total)} ${bytes(sent)} / ${bytes(total)}`, sent === total),
    });
    const final = values['no-wait'] ? result.status : await follow(client, result.status, Number(values['wait-seconds']) * 1000, show);
    process.stdout.write(values.json ? `${JSON.stringify(IngestionStatus.toJSON(final), null, 2)}\n` : statusText(final));
    return exitCode(final);
  } catch (err) {
    return failure(err);
  } finally {
    client[Symbol.dispose]();
  }
};
