/**
 * `surveystream models list | show NAME@VERSION | promote VERSION | shadow VERSION | unshadow |
 * rollback | retrain` and `surveystream retrain`: requests to a running trainer (`trainer` or
 * `dev`) over NATS, so they work the same with embedded and server ClickHouse.
 */
import { parseArgs } from 'node:util';
import { PipelineError } from '../errors.js';
import { callControl, type ControlRequest } from '../trainer/control.js';
import { config, reportError, type Command } from './args.js';
import { connectCliBus } from './connect.js';

const USAGE = `usage:
  surveystream models list                      versions with their status; the active and shadow pointers
  surveystream models show NAME@VERSION         every registry event of a version
  surveystream models promote VERSION [--reason TEXT]
  surveystream models shadow VERSION [--reason TEXT]    score VERSION in shadow (ClickHouse only)
  surveystream models unshadow [--reason TEXT]
  surveystream models rollback [--reason TEXT]  restore the champion the current one replaced
  surveystream models retrain [--reason TEXT]   train now; prints the decision
  (all: --json for raw output, --timeout MS, default 600000)
`;

function versionOf(arg: string | undefined, op: string): string {
  if (!arg) throw new PipelineError('INVALID_ARGUMENT', `models ${op} needs a version`, false);
  const at = arg.lastIndexOf('@');
  return at >= 0 ? arg.slice(at + 1) : arg;
}

function request(op: string, arg: string | undefined, reason: string | undefined): ControlRequest {
  const why = reason ? { reason } : {};
  switch (op) {
    case 'list':
    case 'rollback':
    case 'retrain':
    case 'unshadow':
      return { op, ...why };
    case 'show':
    case 'promote':
    case 'shadow':
      return { op, version: versionOf(arg, op), ...why };
    default:
      throw new PipelineError('INVALID_ARGUMENT', `unknown models command "${op}"\n${USAGE}`, false);
  }
}

interface ListResult {
  versions: { version: string; status: string; lastEvent: string; lastReason: string; createdAt: string }[];
  active?: { version: string };
  shadow?: { version: string };
}

function print(op: string, result: unknown): void {
  if (op !== 'list') {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const r = result as ListResult;
  process.stdout.write(`active: ${r.active?.version ?? '-'}   shadow: ${r.shadow?.version ?? '-'}\n`);
  for (const v of r.versions) process.stdout.write(`${v.version.padEnd(22)} ${v.status.padEnd(10)} ${v.createdAt}  ${v.lastEvent}: ${v.lastReason}\n`);
}

async function run(op: string, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { reason: { type: 'string' }, json: { type: 'boolean', default: false }, timeout: { type: 'string', default: '600000' }, help: { type: 'boolean', default: false } },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const req = request(op, positionals[0], values.reason);
  await using cli = await connectCliBus(config(), 'surveystream-models');
  const result = await callControl(cli.bus.nc, req, Number(values.timeout));
  if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else print(op, result);
  return 0;
}

/** `surveystream models …`. */
export const modelsCommand: Command = async (argv) => {
  const [op, ...rest] = argv;
  if (!op || op === 'help' || op === '--help') {
    process.stdout.write(USAGE);
    return op ? 0 : 2;
  }
  try {
    return await run(op, rest);
  } catch (err) {
    return reportError(err);
  }
};

/** `surveystream retrain` (= `models retrain`). */
export const retrainCommand: Command = (argv) => modelsCommand(['retrain', ...argv]);
