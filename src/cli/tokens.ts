/**
 * `surveystream tokens issue DEVICE_ID | revoke DEVICE_ID | list`: per-device bearer tokens in the
 * JetStream KV bucket the gateway checks (only their SHA-256 is stored; the token is printed once).
 */
import { parseArgs } from 'node:util';
import { issueToken, listTokens, openTokenBucket, revokeToken } from '../ingest/index.js';
import { config, reportError, type Command } from './args.js';
import { connectCliBus } from './connect.js';

const USAGE = `usage:
  surveystream tokens issue DEVICE_ID [--label TEXT]   new token for a device (replaces its old one); printed once
  surveystream tokens revoke DEVICE_ID                 the device's token stops working at once
  surveystream tokens list [--json]                    devices, issue and revocation times (never the tokens)
`;

const OPTIONS = { label: { type: 'string' }, json: { type: 'boolean', default: false } } as const;

const iso = (ms: number | undefined): string => (ms === undefined ? '-' : new Date(ms).toISOString());

/** The `tokens` command. */
export const tokensCommand: Command = async (argv) => {
  const [sub, ...rest] = argv;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const needsDevice = sub === 'issue' || sub === 'revoke';
  if (!(needsDevice || sub === 'list') || positionals.length !== (needsDevice ? 1 : 0)) {
    process.stderr.write(USAGE);
    return 2;
  }
  try {
    const cfg = config();
    await using cli = await connectCliBus(cfg, 'surveystream-tokens');
    const kv = await openTokenBucket(cli.bus.js, cfg.grpc.tokenBucket);
    if (sub === 'issue') {
      const { token } = await issueToken(kv, positionals[0]!, values.label);
      process.stdout.write(`${token}\n`);
      process.stderr.write(`token issued for ${positionals[0]!}; store it on the device now, it cannot be shown again\n`);
      return 0;
    }
    if (sub === 'revoke') {
      const revoked = await revokeToken(kv, positionals[0]!);
      process.stderr.write(revoked ? `token of ${positionals[0]!} revoked\n` : `${positionals[0]!} has no active token\n`);
      return revoked ? 0 : 1;
    }
    const records = await listTokens(kv);
    if (values.json) process.stdout.write(`${JSON.stringify(records.map(({ sha256: _s, ...r }) => r), null, 2)}\n`);
    else for (const r of records) process.stdout.write(`${r.device_id}\tissued ${iso(r.issued_at_ms)}\trevoked ${iso(r.revoked_at_ms)}${r.label ? `\t${r.label}` : ''}\n`);
    return 0;
  } catch (err) {
    return reportError(err);
  }
};
