/**
 * Sustained StreamSurveys ingest from one client into JetStream: the real gateway role (embedded
 * nats-server, no worker) in this process, one client in a child process streaming generated
 * surveys over one call and counting acks (every ack means the survey is durable on JetStream).
 *
 *   npx tsx bench/ingest-bench.ts [--count 200000] [--window 1000] [--client-encode]
 *
 * By default the client sends pre-encoded requests (each survey encoded once, its id appended),
 * so the figure is the gateway's, not the load generator's; --client-encode encodes every
 * request with ts-proto as a device app would.
 *
 * Prints surveys/s (acked) and the command line.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startRoles } from '../src/cli/serve.js';
import { createIngestClient } from '../src/client/ingest-client.js';
import { generateSurveys } from '../src/domain/generator/index.js';
import { surveyToProto } from '../src/domain/survey-codec.js';
import { BinaryWriter } from '@bufbuild/protobuf/wire';
import { credentials, makeGenericClientConstructor, type ClientDuplexStream } from '@grpc/grpc-js';
import { IngestServiceService, SubmitStatus, type StreamSurveysResponse } from '../src/gen/surveystream/v1/ingest.js';
import { Survey } from '../src/gen/surveystream/v1/survey.js';

interface ClientReport {
  count: number;
  mode: string;
  acked: number;
  accepted: number;
  seconds: number;
}

const DISTINCT = 20_000;

/** Sends `count` surveys on one call; `next(i)` gives the i-th request (object or pre-encoded bytes). */
async function stream<T>(call: ClientDuplexStream<T, StreamSurveysResponse>, count: number, next: (i: number) => T): Promise<Omit<ClientReport, 'count' | 'mode'>> {
  let acked = 0;
  let accepted = 0;
  const start = performance.now();
  const done = new Promise<void>((resolve, reject) => {
    call.on('data', (ack: StreamSurveysResponse) => {
      acked += 1;
      if (ack.status === SubmitStatus.SUBMIT_STATUS_ACCEPTED) accepted += 1;
    });
    call.on('status', (s: { code: number; details: string }) => (s.code === 0 ? resolve() : reject(new Error(s.details))));
    call.on('error', reject);
  });
  // Object-mode streams say "full" at 16 queued messages; keep up to 512 queued instead.
  for (let i = 0; i < count; i++) {
    if (!call.write(next(i)) && call.writableLength > 512) await new Promise((r) => call.once('drain', r));
  }
  call.end();
  await done;
  return { acked, accepted, seconds: (performance.now() - start) / 1000 };
}

/** `StreamSurveysRequest` bytes: the base survey, then a submission_id field (the last one wins). */
function encodedRequest(base: Uint8Array, id: string): Buffer {
  const inner = Buffer.concat([base, Buffer.from(new BinaryWriter().uint32(10).string(id).finish())]);
  return Buffer.from(new BinaryWriter().uint32(10).bytes(inner).finish());
}

/** The client: generates DISTINCT surveys and sends `count` of them with fresh submission ids. */
async function runClient(target: string, count: number, clientEncode: boolean): Promise<ClientReport> {
  const base: Survey[] = [...generateSurveys({ seed: 7, count: DISTINCT })].map((g) => surveyToProto(g).survey);
  const id = (i: number): string => `bench-${i}`;
  if (clientEncode) {
    const client = createIngestClient(target);
    const report = await stream(client.openStream(), count, (i) => ({ survey: { ...base[i % DISTINCT]!, submissionId: id(i) } }));
    client[Symbol.dispose]();
    return { ...report, count, mode: 'client encodes each Survey (ts-proto)' };
  }
  // Load-generator mode: the surveys are encoded once; each request only appends its id.
  const encoded = base.map((s) => Survey.encode(s).finish());
  const Raw = makeGenericClientConstructor({ streamSurveys: { ...IngestServiceService.streamSurveys, requestSerialize: (b: Buffer) => b } }, 'IngestService');
  const raw = new Raw(target, credentials.createInsecure()) as unknown as { streamSurveys(): ClientDuplexStream<Buffer, StreamSurveysResponse>; close(): void };
  const report = await stream(raw.streamSurveys(), count, (i) => encodedRequest(encoded[i % DISTINCT]!, id(i)));
  raw.close();
  return { ...report, count, mode: 'pre-encoded requests (load generator)' };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '200000' }, window: { type: 'string', default: '1000' }, client: { type: 'string' }, 'client-encode': { type: 'boolean', default: false } } });
  const count = Number(values.count);
  if (values.client) {
    process.send?.(await runClient(values.client, count, values['client-encode']));
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'surveystream-bench-'));
  // The stream path needs NATS only: ClickHouse is opened (the gateway role always does) but not migrated.
  const running = await startRoles('gateway', { dataDir, 'grpc.port': 0, 'http.port': -1, 'log.level': 'warn', 'grpc.streamWindow': values.window, 'clickhouse.migrate': 'false' });
  try {
    const target = `127.0.0.1:${running.grpcPort!}`;
    const child = fork(new URL(import.meta.url).pathname, ['--client', target, '--count', String(count), ...(values['client-encode'] ? ['--client-encode'] : [])], { stdio: 'inherit' });
    const report = await new Promise<ClientReport>((resolve, reject) => {
      child.once('message', (m) => resolve(m as ClientReport));
      child.once('exit', (code) => reject(new Error(`client exited with ${code}`)));
    });
    const info = await running.infra.bus.jsm.streams.info('SURVEYS');
    const rate = Math.round(report.acked / report.seconds);
    process.stdout.write(
      `StreamSurveys ingest: ${report.acked} acked (${report.accepted} accepted) in ${report.seconds.toFixed(2)} s = ${rate} surveys/s; ` +
        `SURVEYS stream holds ${info.state.messages}; window ${values.window}; client: ${report.mode}\n` +
        `command: npx tsx bench/ingest-bench.ts --count ${count} --window ${values.window}${values['client-encode'] ? ' --client-encode' : ''}\n`,
    );
  } finally {
    await running[Symbol.asyncDispose]();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
