/** `surveystream pii keygen | decrypt TOKEN | hash VALUE`: key management and operator recovery. */
import { parseArgs } from 'node:util';
import { generateKeySpec, piiProtectorFor } from '../protect/pii.js';
import { config, reportError, type Command } from './args.js';

const USAGE = `usage:
  surveystream pii keygen [--kid ID]   print a new key entry for PII_KEYS
  surveystream pii decrypt TOKEN       recover a protected value (needs the key in PII_KEYS)
  surveystream pii hash VALUE          the join key of a value (e.g. find a household's rows)
`;

function runPii(argv: string[]): number {
  const [sub, ...rest] = argv;
  try {
    const { values, positionals } = parseArgs({ args: rest, options: { kid: { type: 'string', default: 'k1' } }, allowPositionals: true });
    if (sub === 'keygen') {
      process.stdout.write(`${generateKeySpec(values.kid)}\n`);
      return 0;
    }
    if ((sub !== 'decrypt' && sub !== 'hash') || positionals.length !== 1) {
      process.stderr.write(USAGE);
      return 2;
    }
    const cfg = config();
    const pii = piiProtectorFor(cfg);
    const input = positionals[0]!;
    process.stdout.write(`${sub === 'decrypt' ? pii.decrypt(input).toString('utf8') : pii.hash(input)}\n`);
    return 0;
  } catch (err) {
    return reportError(err);
  }
};

export const piiCommand: Command = (argv) => Promise.resolve(runPii(argv));
