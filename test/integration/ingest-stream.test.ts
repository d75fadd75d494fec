/**
 * Issue #5 over a real socket with mTLS and device tokens: SubmitSurvey, StreamSurveys (per-record
 * acks, rejections that do not end the stream, resume after a cut), auth, health and reflection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadPackageDefinition, makeGenericClientConstructor, type ChannelCredentials, type Client, type ClientDuplexStream, type Metadata } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as HEALTH_PROTO } from 'grpc-health-check';
import { SubmitStatus, IngestServiceService, type StreamSurveysResponse } from '../../src/gen/surveystream/v1/ingest.js';
import { Survey } from '../../src/gen/surveystream/v1/survey.js';
import { channelCredentials, callMetadata } from '../../src/client/connection.js';
import { sendBacklog } from '../../src/client/backlog.js';
import { issueToken, openTokenBucket, revokeToken } from '../../src/ingest/tokens.js';
import { eventually } from '../harness/pipeline.js';
import { detail, grpcError, startSecurePipeline, status, storedCount, wireSurveys, type SecurePipeline } from './ingest-harness.js';

const REFLECTION_PROTO = join(dirname(createRequire(import.meta.url).resolve('@grpc/reflection')), '../proto/grpc/reflection/v1/reflection.proto');

type Ctor = new (address: string, creds: ChannelCredentials) => Client;

/** Health and reflection clients from their .proto files (no generated code needed). */
function healthAndReflection(): { Health: Ctor; Reflection: Ctor } {
  const def = loadPackageDefinition(loadSync([HEALTH_PROTO, REFLECTION_PROTO], { keepCase: false, enums: String })) as unknown as {
    grpc: { health: { v1: { Health: Ctor } }; reflection: { v1: { ServerReflection: Ctor } } };
  };
  return { Health: def.grpc.health.v1.Health, Reflection: def.grpc.reflection.v1.ServerReflection };
}

describe('ingest over mTLS with device tokens', () => {
  let s: SecurePipeline;

  beforeAll(async () => {
    s = await startSecurePipeline({ mtls: true, overrides: { 'monitor.enabled': 'false' } });
  });
  afterAll(async () => {
    await s?.[Symbol.asyncDispose]();
  });

  it('answers SubmitSurvey ACCEPTED, then DUPLICATE for the resend', async () => {
    const [survey] = wireSurveys(1, 1, 'st-submit-');
    const first = await s.ingest.submit(survey!);
    const again = await s.ingest.submit(survey!);
    expect(first.status).toBe(SubmitStatus.SUBMIT_STATUS_ACCEPTED);
    expect(again).toMatchObject({ status: SubmitStatus.SUBMIT_STATUS_DUPLICATE, streamSequence: first.streamSequence });
    await eventually(async () => (await storedCount(s.p, 'st-submit-')) === 1);
  });

  it('refuses a bad envelope with INVALID_ARGUMENT and x-detail-field', async () => {
    const [survey] = wireSurveys(2, 1, 'x');
    const err = await grpcError(s.ingest.submit({ ...survey!, submissionId: 'has space' }));
    expect(err.code).toBe(status.INVALID_ARGUMENT);
    expect(detail(err, 'x-detail-field')).toBe('submission_id');
  });

  it('acks every streamed record and rejects bad ones without ending the stream', async () => {
    const good = wireSurveys(3, 20, 'st-mixed-');
    const sent = [good[0]!, { ...good[1]!, submissionId: '' }, good[2]!, { ...good[3]!, deprecatedId: 'bad id' }, ...good.slice(4)];
    const acks: StreamSurveysResponse[] = [];
    const call = s.ingest.openStream(20_000);
    call.on('data', (a: StreamSurveysResponse) => acks.push(a));
    const done = new Promise((resolve, reject) => {
      call.on('status', resolve);
      call.on('error', reject);
    });
    for (const survey of sent) call.write({ survey });
    call.end();
    await done;
    expect(acks).toHaveLength(sent.length);
    const rejected = acks.filter((a) => a.status === SubmitStatus.SUBMIT_STATUS_REJECTED);
    expect(rejected.map((a) => [a.requestIndex, a.field])).toEqual([
      [1, 'submission_id'],
      [3, 'deprecated_id'],
    ]);
    expect(acks.filter((a) => a.status === SubmitStatus.SUBMIT_STATUS_ACCEPTED)).toHaveLength(18);
    expect(acks.every((a) => a.status === SubmitStatus.SUBMIT_STATUS_REJECTED || a.streamSequence > 0)).toBe(true);
    await eventually(async () => (await storedCount(s.p, 'st-mixed-')) === 18);
  });

  it('rejects an undecodable record and keeps the stream open', async () => {
    // A client that sends raw bytes: one garbage message between two good ones.
    const Raw = makeGenericClientConstructor({ streamSurveys: { ...IngestServiceService.streamSurveys, requestSerialize: (b: Buffer) => b } }, 'Raw');
    const raw = new Raw(s.options.target, channelCredentials(s.options)) as unknown as {
      streamSurveys(md: Metadata): ClientDuplexStream<Buffer, StreamSurveysResponse>;
      close(): void;
    };
    const [a, b] = wireSurveys(4, 2, 'st-garbage-');
    const frame = (survey: Survey): Buffer => {
      const bytes = Survey.encode(survey).finish();
      const len: number[] = [];
      for (let n = bytes.length; ; n >>>= 7) {
        if (n < 0x80) {
          len.push(n);
          break;
        }
        len.push((n & 0x7f) | 0x80);
      }
      return Buffer.concat([Buffer.from([0x0a, ...len]), bytes]);
    };
    const call = raw.streamSurveys(callMetadata(s.token));
    const acks: StreamSurveysResponse[] = [];
    call.on('data', (x: StreamSurveysResponse) => acks.push(x));
    const done = new Promise((resolve, reject) => {
      call.on('status', resolve);
      call.on('error', reject);
    });
    call.write(frame(a!));
    call.write(Buffer.from([0x0a, 0x7f, 0x01]));
    call.write(frame(b!));
    call.end();
    await done;
    raw.close();
    expect(acks.map((x) => x.status).sort()).toEqual([SubmitStatus.SUBMIT_STATUS_ACCEPTED, SubmitStatus.SUBMIT_STATUS_ACCEPTED, SubmitStatus.SUBMIT_STATUS_REJECTED]);
    expect(acks.find((x) => x.status === SubmitStatus.SUBMIT_STATUS_REJECTED)).toMatchObject({ requestIndex: 1, reason: expect.stringMatching(/undecodable/) as unknown });
  });

  it('stores exactly 10,000 surveys when a stream is cut in the middle and the rest is resent', async () => {
    // 1,000 generated surveys, each sent 10 times under distinct ids (generating 10,000 takes seconds).
    const base = wireSurveys(5, 1000, 'unused-');
    const surveys = Array.from({ length: 10_000 }, (_, i) => ({ ...base[i % 1000]!, submissionId: `st-resume-${i}` }));
    const acked = new Set<string>();
    const cutAfter = 4_000;
    const first = s.client({}).openStream();
    await new Promise<void>((resolve) => {
      first.on('data', (a: StreamSurveysResponse) => {
        acked.add(a.submissionId);
        if (acked.size === cutAfter) {
          first.cancel(); // the device loses its connection
          resolve();
        }
      });
      first.on('error', () => resolve());
      void (async () => {
        for (const survey of surveys) {
          if (!first.write({ survey }) && first.writableLength > 256) await new Promise((r) => first.once('drain', r));
        }
        first.end();
      })();
    });
    expect(acked.size).toBeGreaterThanOrEqual(cutAfter);
    expect(acked.size).toBeLessThan(10_000);
    // Resume on a new channel: resend everything not acked (some were stored without their ack).
    const pending = surveys.filter((x) => !acked.has(x.submissionId));
    const result = await sendBacklog(s.client({}), pending);
    expect(result.accepted + result.duplicate).toBe(pending.length);
    expect(result.rejected).toEqual([]);
    await eventually(async () => (await storedCount(s.p, 'st-resume-')) === 10_000, 30_000, 250);
    const [raw] = await s.p.query<{ n: string }>("SELECT count() AS n FROM {db}.surveys FINAL WHERE startsWith(submission_id, 'st-resume-')");
    expect(Number(raw?.n)).toBe(10_000);
  });

  it('answers UNAUTHENTICATED to a wrong or missing token and stores nothing', async () => {
    const { jsm } = s.p.running.infra.bus;
    const before = (await jsm.streams.info('SURVEYS')).state.messages;
    const surveys = wireSurveys(6, 5, 'st-noauth-');
    const forged = `${s.token.slice(0, -4)}AAAA`;
    for (const token of ['sst1.bm9wZQ.bm9wZQ', '', forged, 'not-a-token']) {
      const client = s.client({ token });
      const err = await grpcError(client.submit(surveys[0]!));
      expect(err.code).toBe(status.UNAUTHENTICATED);
      const streamErr = await grpcError(sendBacklog(client, surveys, { maxAttempts: 1 }));
      expect(streamErr.code).toBe(status.UNAUTHENTICATED);
      expect((await grpcError(client.status('ing-x'))).code).toBe(status.UNAUTHENTICATED);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect((await jsm.streams.info('SURVEYS')).state.messages).toBe(before);
    expect(await storedCount(s.p, 'st-noauth-')).toBe(0);
  });

  it('stops accepting a revoked token at once', async () => {
    const kv = await openTokenBucket(s.p.running.infra.bus.js, 'device_tokens');
    const { token } = await issueToken(kv, 'DEV-REVOKE');
    const client = s.client({ token });
    const [survey] = wireSurveys(7, 1, 'st-revoke-');
    expect((await client.submit(survey!)).status).toBe(SubmitStatus.SUBMIT_STATUS_ACCEPTED);
    expect(await revokeToken(kv, 'DEV-REVOKE')).toBe(true);
    expect((await grpcError(client.submit({ ...survey!, submissionId: 'st-revoke-2' }))).code).toBe(status.UNAUTHENTICATED);
  });

  it('refuses clients without a certificate (mTLS) or without TLS', async () => {
    const noCert = s.client({ certFile: undefined, keyFile: undefined } as never);
    const [survey] = wireSurveys(8, 1, 'st-nocert-');
    expect((await grpcError(noCert.submit(survey!, 3000))).code).toBe(status.UNAVAILABLE);
    const plain = s.client({ tls: false, caFile: undefined, certFile: undefined, keyFile: undefined } as never);
    expect((await grpcError(plain.submit(survey!, 3000))).code).toBe(status.UNAVAILABLE);
  });

  it('serves health and reflection without a token', async () => {
    const { Health, Reflection } = healthAndReflection();
    const creds = channelCredentials(s.options);
    const health = new Health(s.options.target, creds) as unknown as Client & {
      check(req: { service: string }, cb: (err: Error | null, res?: { status: string }) => void): void;
    };
    const res = await new Promise<{ status: string }>((resolve, reject) => {
      health.check({ service: 'surveystream.v1.IngestService' }, (err, r) => (err ? reject(err) : resolve(r!)));
    });
    health.close();
    expect(res.status).toBe('SERVING');
    const reflection = new Reflection(s.options.target, creds) as unknown as Client & { serverReflectionInfo(): ClientDuplexStream<object, object> };
    const call = reflection.serverReflectionInfo();
    const services = await new Promise<string[]>((resolve, reject) => {
      call.on('data', (r: { listServicesResponse?: { service?: { name?: string }[] } }) => {
        resolve((r.listServicesResponse?.service ?? []).map((x) => x.name ?? ''));
        call.end();
      });
      call.on('error', reject);
      call.write({ listServices: '' });
    });
    reflection.close();
    expect(services).toEqual(expect.arrayContaining(['surveystream.v1.IngestService', 'surveystream.v1.PredictionService', 'grpc.health.v1.Health']));
  });

  it('answers DEADLINE_EXCEEDED when the client deadline passes', async () => {
    const [survey] = wireSurveys(9, 1, 'st-deadline-');
    const err = await grpcError(s.ingest.submit(survey!, 0));
    expect(err.code).toBe(status.DEADLINE_EXCEEDED);
  });
});
