/**
 * Helpers of the ingest integration tests (issue #5): a throwaway CA with server and client
 * certificates made by openssl, and a pipeline whose gateway runs TLS (optionally mTLS) with
 * device-token auth, plus clients for it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { status, type ServiceError } from '@grpc/grpc-js';
import { connectIngest, type IngestClient } from '../../src/client/ingest-client.js';
import type { ClientOptions } from '../../src/client/connection.js';
import { connectPredictions, type PredictionClient } from '../../src/client/prediction-client.js';
import { generateSurveys, type GeneratedSurvey } from '../../src/domain/generator/index.js';
import { surveyToProto } from '../../src/domain/survey-codec.js';
import type { Survey } from '../../src/gen/surveystream/v1/survey.js';
import { issueToken, openTokenBucket } from '../../src/ingest/tokens.js';
import { HARNESS_ROOT } from '../harness/paths.js';
import { startTestPipeline, type TestPipeline } from '../harness/pipeline.js';

/** PEM files of a test PKI. */
export interface TestCerts {
  readonly dir: string;
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function leaf(dir: string, name: string, subject: string, ext: string): void {
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', `${name}.ext`]);
}

/** A CA, a server certificate for localhost/127.0.0.1 and a client certificate, in a temp dir. */
export function makeCerts(): TestCerts {
  const dir = mkdtempSync(join(HARNESS_ROOT, 'pki-'));
  openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=surveystream test CA']);
  leaf(dir, 'server', '/CN=localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  leaf(dir, 'client', '/CN=device-test', 'extendedKeyUsage=clientAuth\n');
  return {
    dir,
    ca: join(dir, 'ca.crt'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'client.crt'),
    clientKey: join(dir, 'client.key'),
  };
}

/** A pipeline with TLS (and mTLS when asked) and token auth, a device token, and clients. */
export interface SecurePipeline extends AsyncDisposable {
  readonly p: TestPipeline;
  readonly certs: TestCerts;
  readonly token: string;
  readonly deviceId: string;
  /** Client options with TLS, the client certificate (mTLS) and the token. */
  readonly options: ClientOptions;
  readonly ingest: IngestClient;
  readonly predictions: PredictionClient;
  /** A client with other options (e.g. a wrong token); closed on dispose. */
  client(overrides: Partial<ClientOptions>): IngestClient;
}

export async function startSecurePipeline(opts: { mtls?: boolean; overrides?: Record<string, unknown> } = {}): Promise<SecurePipeline> {
  const certs = makeCerts();
  const p = await startTestPipeline({
    'grpc.tlsCertFile': certs.serverCert,
    'grpc.tlsKeyFile': certs.serverKey,
    'grpc.tlsCaFile': certs.ca,
    'grpc.requireClientCert': String(opts.mtls ?? false),
    'grpc.authMode': 'token',
    ...opts.overrides,
  });
  const deviceId = 'DEV-TEST-1';
  const kv = await openTokenBucket(p.running.infra.bus.js, p.running.infra.cfg.grpc.tokenBucket);
  const { token } = await issueToken(kv, deviceId, 'integration test');
  const options: ClientOptions = {
    target: `127.0.0.1:${p.running.grpcPort!}`,
    caFile: certs.ca,
    token,
    ...(opts.mtls ? { certFile: certs.clientCert, keyFile: certs.clientKey } : {}),
  };
  const extra: IngestClient[] = [];
  const ingest = connectIngest(options);
  const predictions = connectPredictions(options);
  return {
    p,
    certs,
    token,
    deviceId,
    options,
    ingest,
    predictions,
    client(overrides) {
      const c = connectIngest({ ...options, ...overrides });
      extra.push(c);
      return c;
    },
    async [Symbol.asyncDispose]() {
      for (const c of [ingest, predictions, ...extra]) c[Symbol.dispose]();
      try {
        await p[Symbol.asyncDispose]();
      } finally {
        rmSync(certs.dir, { recursive: true, force: true });
      }
    },
  };
}

/** Generated surveys as wire messages, with ids `<prefix><n>`. */
export function wireSurveys(seed: number, count: number, prefix: string): Survey[] {
  return generated(seed, count, prefix).map((g) => surveyToProto(g).survey);
}

/** Generated surveys (valid ones: no injected errors), with ids `<prefix><n>`. */
export function generated(seed: number, count: number, prefix: string): GeneratedSurvey[] {
  return [...generateSurveys({ seed, count })].map((g, i) => ({ ...g, meta: { ...g.meta, submissionId: `${prefix}${i}` } }));
}

/** Surveys stored in ClickHouse (FINAL) whose id starts with a prefix. */
export async function storedCount(p: TestPipeline, prefix: string): Promise<number> {
  const [row] = await p.query<{ n: string }>('SELECT count() AS n FROM {db}.surveys FINAL WHERE startsWith(submission_id, {prefix:String})', { prefix });
  return Number(row?.n ?? 0);
}

/** The gRPC error a promise rejects with (fails the test when it resolves). */
export async function grpcError(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (err) {
    return err as ServiceError;
  }
  throw new Error('expected the call to fail');
}

/** A trailing-metadata value of an error. */
export function detail(err: ServiceError, key: string): string | undefined {
  const [v] = err.metadata.get(key);
  return v === undefined ? undefined : String(v);
}

export { status };
