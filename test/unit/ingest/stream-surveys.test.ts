import { describe, expect, it } from 'vitest';
import { status, type ServerDuplexStream } from '@grpc/grpc-js';
import { SubmitStatus, type StreamSurveysResponse } from '../../../src/gen/surveystream/v1/ingest.js';
import { PipelineError } from '../../../src/errors.js';
import { noAuth } from '../../../src/ingest/auth.js';
import type { PublishCallback, JetStreamPublisher, PublishOptions } from '../../../src/bus/publisher.js';
import type { StreamRecord } from '../../../src/ingest/stream-codec.js';
import { streamSurveysHandler } from '../../../src/ingest/stream-surveys.js';
import { createLogger } from '../../../src/telemetry/log.js';
import { createMetrics } from '../../../src/telemetry/metrics.js';
import { FakeCall } from './fakes.js';

/** A publisher whose PubAcks the test hands out. */
class FakePublisher {
  readonly calls: { opts: PublishOptions; done: PublishCallback }[] = [];
  publish(opts: PublishOptions, done: PublishCallback): void {
    this.calls.push({ opts, done });
  }
}

const record = (id: string, extra: Partial<{ deprecatedId: string }> = {}): StreamRecord => ({
  ok: true,
  survey: { submissionId: id, district: 'Kanungu', ...extra },
  raw: new Uint8Array([1, 2, 3]),
});

async function open(window = 2): Promise<{ call: FakeCall; pub: FakePublisher; acks: () => StreamSurveysResponse[] }> {
  const call = new FakeCall();
  const pub = new FakePublisher();
  const handler = streamSurveysHandler({
    publisher: pub as unknown as JetStreamPublisher,
    auth: noAuth,
    log: createLogger('silent'),
    metrics: createMetrics({ defaultMetrics: false }),
    window,
  });
  handler(call as unknown as ServerDuplexStream<StreamRecord, StreamSurveysResponse>);
  await new Promise((r) => setImmediate(r));
  return { call, pub, acks: () => call.written as StreamSurveysResponse[] };
}

describe('StreamSurveys session', () => {
  it('stops reading when the PubAck window is full and reads again as acks come', async () => {
    const { call, pub, acks } = await open(2);
    call.emit('data', record('a'));
    call.emit('data', record('b'));
    expect(call.paused).toBe(true);
    pub.calls[0]!.done({ seq: 1, duplicate: false });
    expect(call.paused).toBe(false);
    expect(acks()).toEqual([{ submissionId: 'a', status: SubmitStatus.SUBMIT_STATUS_ACCEPTED, reason: '', streamSequence: 1, requestIndex: 0, field: '' }]);
    expect(pub.calls[0]!.opts).toMatchObject({ submissionId: 'a', district: 'Kanungu' });
  });

  it('acks envelope errors and undecodable records REJECTED and goes on; ends OK after the last ack', async () => {
    const { call, pub, acks } = await open(10);
    call.emit('data', { ok: false, reason: 'undecodable request: x', field: 'survey' } satisfies StreamRecord);
    call.emit('data', record(''));
    call.emit('data', record('c', { deprecatedId: 'bad id' }));
    call.emit('data', record('d'));
    call.emit('end');
    expect(call.ended).toBe(false);
    pub.calls[0]!.done({ seq: 7, duplicate: true });
    expect(call.ended).toBe(true);
    expect(acks().map((a) => [a.requestIndex, a.status, a.field])).toEqual([
      [0, SubmitStatus.SUBMIT_STATUS_REJECTED, 'survey'],
      [1, SubmitStatus.SUBMIT_STATUS_REJECTED, 'submission_id'],
      [2, SubmitStatus.SUBMIT_STATUS_REJECTED, 'deprecated_id'],
      [3, SubmitStatus.SUBMIT_STATUS_DUPLICATE, ''],
    ]);
  });

  it('rejects a record JetStream refuses as too large without ending the call', async () => {
    const { call, pub, acks } = await open(10);
    call.emit('data', record('big'));
    pub.calls[0]!.done(new PipelineError('INVALID_ARGUMENT', 'survey too large for the stream', false));
    expect(acks()[0]).toMatchObject({ status: SubmitStatus.SUBMIT_STATUS_REJECTED, reason: 'survey too large for the stream' });
    expect(call.error).toBeUndefined();
  });

  it('on UNAVAILABLE: stops reading, acks what was stored, then ends with the status and retry hint', async () => {
    const { call, pub, acks } = await open(10);
    call.emit('data', record('x1'));
    call.emit('data', record('x2'));
    pub.calls[0]!.done(new PipelineError('UNAVAILABLE', 'JetStream is not available', true, { details: { 'retry-after-ms': '1000' } }));
    expect(call.paused).toBe(true);
    call.emit('data', record('x3')); // still buffered in the stream: ignored, the client resends it
    expect(pub.calls).toHaveLength(2);
    expect(call.error).toBeUndefined();
    pub.calls[1]!.done({ seq: 2, duplicate: false });
    expect(acks().map((a) => a.submissionId)).toEqual(['x2']);
    const err = call.error as { code: number; metadata: { get(k: string): unknown[] } };
    expect(err.code).toBe(status.UNAVAILABLE);
    expect(err.metadata.get('x-detail-retry-after-ms')).toEqual(['1000']);
  });
});
