/**
 * Issue #5: a second client in another language. Python stubs are generated at test time into a
 * temp dir (never committed) and test/python/surveystream_client.py submits and streams surveys
 * over mTLS with a device token. Skipped, with the reason in its name, when /usr/bin/python3 has no
 * grpc.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Survey } from '../../src/gen/surveystream/v1/survey.js';
import { HARNESS_ROOT } from '../harness/paths.js';
import { eventually } from '../harness/pipeline.js';
import { startSecurePipeline, storedCount, wireSurveys, type SecurePipeline } from './ingest-harness.js';

const PYTHON = '/usr/bin/python3';
const PROTOS = ['surveystream/v1/survey.proto', 'surveystream/v1/ingest.proto'];

function pythonProblem(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import grpc, google.protobuf'], { encoding: 'utf8' });
  if (probe.error) return `${PYTHON} is missing`;
  return probe.status === 0 ? undefined : `${PYTHON} lacks grpc/protobuf (apt-get install python3-grpcio python3-protobuf)`;
}

/** Generates the Python modules: grpc_tools first; the system protoc when grpc_tools is too old for proto3 `optional`. */
function generateStubs(dir: string): string {
  const args = ['-I', 'proto', `--python_out=${dir}`, ...PROTOS.map((p) => join('proto', p))];
  const tools = spawnSync(PYTHON, ['-m', 'grpc_tools.protoc', `--grpc_python_out=${dir}`, ...args], { encoding: 'utf8' });
  if (tools.status === 0) return 'grpc_tools.protoc';
  const protoc = spawnSync('protoc', args, { encoding: 'utf8' });
  if (protoc.status !== 0) throw new Error(`cannot generate Python stubs:\n${tools.stderr.slice(0, 500)}\n${protoc.stderr}`);
  return 'protoc (grpc_tools too old for proto3 optional)';
}

const problem = pythonProblem();

describe('Python client', () => {
  let s: SecurePipeline;
  let dir: string;

  beforeAll(async () => {
    if (problem) return;
    s = await startSecurePipeline({ mtls: true, overrides: { 'monitor.enabled': 'false' } });
    dir = mkdtempSync(join(HARNESS_ROOT, 'py-'));
  });
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await s?.[Symbol.asyncDispose]();
  });

  it.skipIf(problem !== undefined)(`submits and streams surveys over mTLS with a token${problem ? ` (skipped: ${problem})` : ''}`, async () => {
    const generator = generateStubs(dir);
    const surveys = wireSurveys(51, 200, 'py-');
    const file = join(dir, 'surveys.ndjson');
    writeFileSync(file, surveys.map((x) => JSON.stringify(Survey.toJSON(x))).join('\n'));
    // Asynchronously: the gateway runs in this process and must keep serving while Python runs.
    const run = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        PYTHON,
        ['test/python/surveystream_client.py', '--stubs', dir, '--target', s.options.target, '--ca', s.certs.ca, '--cert', s.certs.clientCert, '--key', s.certs.clientKey, '--token', s.token, '--surveys', file],
        { encoding: 'utf8', timeout: 60_000 },
        (err, stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(run.status, `${generator}\n${run.stderr}`).toBe(0);
    const out = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(out).toEqual({
      submit: 'SUBMIT_STATUS_ACCEPTED',
      resubmit: 'SUBMIT_STATUS_DUPLICATE',
      same_sequence: true,
      streamed: 199,
      acks: { SUBMIT_STATUS_ACCEPTED: 199 },
      all_acked: true,
      wrong_token: 'UNAUTHENTICATED',
    });
    await eventually(async () => (await storedCount(s.p, 'py-')) === 200);
  });
});
