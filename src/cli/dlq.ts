/** `surveystream dlq list | show SEQ | replay`: inspect and re-drive dead letters. */
import { parseArgs } from 'node:util';
import { Survey } from '../gen/surveystream/v1/survey.js';
import { getDeadLetter, listDeadLetters, replayDeadLetters, type DeadLetterFilter } from '../dlq/dead-letters.js';
import { PipelineError } from '../errors.js';
import { piiProtectorFor } from '../protect/pii.js';
import { config, reportError, type Command } from './args.js';
import { connectCliBus } from './connect.js';

const USAGE = `usage:
  surveystream dlq list   [--reason RULE|STAGE] [--district D] [--since ISO] [--until ISO] [--limit N] [--json]
  surveystream dlq show   SEQ [--decrypt]
  surveystream dlq replay [--seq N ...] [--reason ..] [--district ..] [--since ..] [--until ..] [--dry-run]
`;

const OPTIONS = {
  reason: { type: 'string' },
  district: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  limit: { type: 'string' },
  seq: { type: 'string', multiple: true },
  json: { type: 'boolean', default: false },
  decrypt: { type: 'boolean', default: false },
  'dry-run': { type: 'boolean', default: false },
} as const;

function date(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new PipelineError('INVALID_ARGUMENT', `--${name} must be a date (ISO 8601), got "${value}"`, false);
  return d;
}

function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new PipelineError('INVALID_ARGUMENT', `--${name} must be a positive integer, got "${value}"`, false);
  return n;
}


export const dlqCommand: Command = async (argv) => {
  const [sub, ...rest] = argv;
  if (sub !== 'list' && sub !== 'show' && sub !== 'replay') {
    process.stderr.write(USAGE);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true });
    const filter: DeadLetterFilter = {
      reason: values.reason,
      district: values.district,
      since: date(values.since, 'since'),
      until: date(values.until, 'until'),
      seqs: values.seq?.map((s) => positiveInt(s, 'seq')),
      limit: values.limit ? positiveInt(values.limit, 'limit') : undefined,
    };
    const cfg = config();
    await using conn = await connectCliBus(cfg, 'surveystream-dlq');
    const { js, jsm } = conn.bus;
    if (sub === 'show') {
      const seq = positiveInt(positionals[0] ?? '', 'SEQ');
      const letter = await getDeadLetter(jsm, seq);
      if (!letter) throw new PipelineError('NOT_FOUND', `no dead letter with sequence ${seq}`, false);
      const shown: Record<string, unknown> = { ...letter };
      if (values.decrypt) {
        const payload = piiProtectorFor(cfg).decrypt(letter.payload_enc);
        shown['original'] = letter.content_type.startsWith('application/json')
          ? (JSON.parse(payload.toString('utf8')) as unknown)
          : Survey.toJSON(Survey.decode(payload));
        delete shown['payload_enc'];
      }
      process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
      return 0;
    }
    const letters = await listDeadLetters(js, jsm, filter);
    if (sub === 'list') {
      if (values.json) {
        for (const l of letters) process.stdout.write(`${JSON.stringify({ ...l, payload_enc: undefined })}\n`);
      } else {
        process.stdout.write(`${'SEQ'.padStart(7)}  ${'REJECTED_AT'.padEnd(24)} ${'STAGE'.padEnd(9)} ${'DISTRICT'.padEnd(10)} ${'SUBMISSION'.padEnd(38)} RULES\n`);
        for (const l of letters) {
          process.stdout.write(`${String(l.seq).padStart(7)}  ${l.rejected_at.padEnd(24)} ${l.stage.padEnd(9)} ${l.district.padEnd(10)} ${l.submission_id.padEnd(38)} ${l.rule_ids.join(',')}\n`);
        }
        process.stdout.write(`${letters.length} dead letter(s)\n`);
      }
      return 0;
    }
    if (values['dry-run']) {
      process.stdout.write(`would replay ${letters.length} dead letter(s): ${letters.map((l) => l.seq).join(', ')}\n`);
      return 0;
    }
    const results = await replayDeadLetters(js, piiProtectorFor(cfg), letters);
    for (const r of results) process.stdout.write(`${String(r.seq).padStart(7)}  ${r.outcome.padEnd(9)} ${r.submissionId} ${r.error ?? ''}\n`);
    const failed = results.filter((r) => r.outcome === 'failed').length;
    process.stdout.write(`replayed ${results.length - failed}, failed ${failed}\n`);
    return failed > 0 ? 1 : 0;
  } catch (err) {
    return reportError(err);
  }
};
