/** `surveystream generate`: synthetic surveys as NDJSON or CSV (original column names). */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import type { Writable } from 'node:stream';
import { CSV_HEADER, generateSurveys, toCsvRow, toNdjsonLine } from '../domain/generator/index.js';
import { PipelineError } from '../errors.js';
import { reportError, type Command } from './args.js';
import { GENERATOR_FLAGS, GENERATOR_HELP, generatorOptions } from './generator-options.js';

const USAGE = `usage: surveystream generate [--format ndjson|csv] [--out FILE] [--truth FILE] [generator options]
  --truth FILE   also write one JSON line per record saying what was injected (for tests)
${GENERATOR_HELP}`;

async function write(out: Writable, line: string): Promise<void> {
  if (!out.write(`${line}\n`)) await once(out, 'drain');
}

export const generateCommand: Command = async (argv) => {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { ...GENERATOR_FLAGS, format: { type: 'string', default: 'ndjson' }, out: { type: 'string' }, truth: { type: 'string' }, help: { type: 'boolean', default: false } },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (values.format !== 'ndjson' && values.format !== 'csv') throw new PipelineError('INVALID_ARGUMENT', '--format must be ndjson or csv', false);
    const opts = generatorOptions(values);
    const out: Writable = values.out ? createWriteStream(values.out) : process.stdout;
    const truth = values.truth ? createWriteStream(values.truth) : undefined;
    if (values.format === 'csv') await write(out, CSV_HEADER.join(','));
    for (const s of generateSurveys(opts)) {
      await write(out, values.format === 'csv' ? toCsvRow(s) : toNdjsonLine(s));
      if (truth) await write(truth, JSON.stringify({ submission_id: s.meta.submissionId, injected: s.injected ?? null }));
    }
    for (const stream of [out, truth]) {
      if (stream && stream !== process.stdout) {
        stream.end();
        await once(stream, 'finish');
      }
    }
    return 0;
  } catch (err) {
    return reportError(err);
  }
};
