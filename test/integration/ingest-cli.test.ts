/**
 * Issue #5: the client commands against a running gateway (TLS + token): `upload` with progress
 * and final status, `status`, `watch`, and `tokens issue | list | revoke`.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prediction, RiskCategory } from '../../src/gen/surveystream/v1/prediction.js';
import { HARNESS_ROOT } from '../harness/paths.js';
import { writeCsv } from './ingest-files.js';
import { generated, startSecurePipeline, storedCount, type SecurePipeline } from './ingest-harness.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('client commands', () => {
  let s: SecurePipeline;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  /** Runs `surveystream ...` asynchronously (the gateway lives in this process). */
  function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
    return new Promise((resolve) => {
      execFile(process.execPath, ['bin/surveystream.mjs', ...args], { env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  function connection(): string[] {
    return ['--target', s.options.target, '--ca', s.certs.ca, '--token', s.token];
  }

  beforeAll(async () => {
    s = await startSecurePipeline({ overrides: { 'monitor.enabled': 'false' } });
    dir = mkdtempSync(join(HARNESS_ROOT, 'cli-'));
    env = { PATH: process.env['PATH'], HOME: process.env['HOME'], LOG_LEVEL: 'silent', SURVEYSTREAM_DATA_DIR: join(dir, 'data'), NATS_URL: s.p.running.infra.natsUrl };
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await s?.[Symbol.asyncDispose]();
  });

  it('uploads a file with a progress bar, waits for its rows and prints the status', async () => {
    const path = join(dir, 'fleet.csv');
    writeCsv(path, generated(61, 300, 'cli-up-'));
    const run = await cli(['upload', path, '--meta', 'device_id=DEV-CLI', ...connection()]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/ingestion ing-/);
    expect(run.stderr).toMatch(/bytes \[#+\]\s+100%/);
    expect(run.stderr).toMatch(/rows\s+\[/);
    expect(run.stdout).toMatch(/^ingestion ing-\S+: complete$/m);
    expect(run.stdout).toContain('300 received, 0 rejected at upload, 300 published, 300 stored');
    expect(await storedCount(s.p, 'cli-up-')).toBe(300);
    const id = /^ingestion (ing-\S+):/m.exec(run.stdout)![1]!;
    const status = await cli(['status', id, '--json', ...connection()]);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ ingestionId: id, state: 'INGESTION_STATE_COMPLETE', rowsStored: 300, format: 'FILE_FORMAT_CSV' });
  });

  it('exits 1 with the reason when the file is refused, and 2 without a valid token', async () => {
    const path = join(dir, 'bad.csv');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, 'a,b\n1,2\n');
    const refused = await cli(['upload', path, ...connection()]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/upload refused: wrong columns: missing District, HouseHoldID, HouseholdSize .*\[columns\] \(ingestion ing-/);
    const noToken = await cli(['upload', path, '--target', s.options.target, '--ca', s.certs.ca]);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('authorization');
  });

  it('prints predictions as they arrive with watch', async () => {
    const child = spawn(process.execPath, ['bin/surveystream.mjs', 'watch', '--district', 'Testland', '--risk', 'critical', '--since', new Date(Date.now() - 5000).toISOString(), ...connection()], { env });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const p = Prediction.fromPartial({ submissionId: 'cli-watch-1', district: 'Testland', risk: RiskCategory.RISK_CATEGORY_CRITICAL, probability: 0.97, modelVersion: '1.0.0' });
    await s.p.running.infra.bus.js.publish('predictions.v1.testland.critical', Prediction.encode(p).finish());
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no prediction printed; got ${out}`)), 30_000);
      const check = setInterval(() => {
        const first = out.split('\n')[0];
        if (out.includes('\n') && first) {
          clearInterval(check);
          clearTimeout(timer);
          resolve(first);
        }
      }, 50);
    });
    expect(JSON.parse(line)).toMatchObject({ submissionId: 'cli-watch-1', district: 'Testland', risk: 'RISK_CATEGORY_CRITICAL' });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
  });

  it('issues, lists and revokes device tokens', async () => {
    const issued = await cli(['tokens', 'issue', 'DEV-CLI-9', '--label', 'tablet 9']);
    expect(issued.code, issued.stderr).toBe(0);
    const token = issued.stdout.trim();
    expect(token).toMatch(/^sst1\./);
    const path = join(dir, 'one.csv');
    writeCsv(path, generated(62, 3, 'cli-tok-'));
    const ok = await cli(['upload', path, '--no-wait', '--target', s.options.target, '--ca', s.certs.ca, '--token', token]);
    expect(ok.code, ok.stderr).toBe(0);
    const list = await cli(['tokens', 'list', '--json']);
    const records = JSON.parse(list.stdout) as { device_id: string; label?: string; sha256?: string }[];
    expect(records.find((r) => r.device_id === 'DEV-CLI-9')).toMatchObject({ label: 'tablet 9' });
    expect(records.every((r) => r.sha256 === undefined)).toBe(true);
    expect((await cli(['tokens', 'revoke', 'DEV-CLI-9'])).code).toBe(0);
    const refused = await cli(['upload', path, '--target', s.options.target, '--ca', s.certs.ca, '--token', token]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('invalid or revoked');
  });
});
