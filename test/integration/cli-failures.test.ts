/**
 * CLI failure modes that must read well: a role started before the JetStream topology exists
 * (SURVEYSTREAM_APPLY_STREAMS=false on a fresh server) stops with a message that says what to run,
 * not a client stack trace; output piped into a reader that quits early (`| head`) ends quietly.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HARNESS_ROOT } from '../harness/paths.js';

describe('CLI failure modes', () => {
  const dataDir = mkdtempSync(join(HARNESS_ROOT, 'no-setup-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('exits non-zero with a readable error naming the missing stream and the fix', () => {
    const r = spawnSync(process.execPath, ['bin/surveystream.mjs', 'worker'], {
      env: { ...process.env, SURVEYSTREAM_DATA_DIR: dataDir, SURVEYSTREAM_APPLY_STREAMS: 'false', HTTP_PORT: '-1', LOG_LEVEL: 'warn' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).not.toBe(0);
    expect(r.stderr).toContain('JetStream stream SURVEYS does not exist: run "surveystream streams apply" first');
    expect(r.stderr).not.toMatch(/unexpected error|StreamNotFoundError|\n\s+at /);
  }, 90_000);

  it('ends quietly when the reader of its output goes away', () => {
    const r = spawnSync('bash', ['-c', 'set -o pipefail; node bin/surveystream.mjs generate --count 20000 | head -c 200 > /dev/null'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 90_000);
});
