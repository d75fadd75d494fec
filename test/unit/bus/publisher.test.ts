import { describe, expect, it } from 'vitest';
import type { PipelineError } from '../../../src/errors.js';
import { JetStreamPublisher } from '../../../src/bus/publisher.js';
import type { PublishResult } from '../../../src/bus/pub-ack.js';
import { FakeNats } from '../ingest/fakes.js';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

function publisher(nats: FakeNats, over: { timeoutMs?: number; maxPending?: number } = {}): JetStreamPublisher {
  return new JetStreamPublisher(nats.asConnection(), { timeoutMs: over.timeoutMs ?? 5000, maxPending: over.maxPending ?? 100 });
}

describe('JetStreamPublisher', () => {
  it('publishes with the msg id and reply inbox, and matches PubAcks to records in any order', async () => {
    const nats = new FakeNats();
    const pub = publisher(nats);
    const a = pub.publishAsync({ submissionId: 'a', district: 'Kanungu', payload: new Uint8Array([1]) });
    const b = pub.publishAsync({ submissionId: 'b', district: 'Mitooma', payload: new Uint8Array([2]), contentType: 'application/json', ingestionId: 'ing-1' });
    await tick();
    expect(nats.sent.map((s) => [s.subject, s.headers?.get('Nats-Msg-Id')])).toEqual([
      ['surveys.v1.raw.kanungu', 'a'],
      ['surveys.v1.raw.mitooma', 'b'],
    ]);
    expect(nats.sent[1]!.headers?.get('Surveystream-Ingestion-Id')).toBe('ing-1');
    expect(nats.sent[1]!.headers?.get('Content-Type')).toBe('application/json');
    expect(new Set(nats.sent.map((s) => s.reply)).size).toBe(2);
    nats.answer(1, { stream: 'SURVEYS', seq: 8, duplicate: true });
    nats.answer(0, { stream: 'SURVEYS', seq: 9 });
    expect(await a).toEqual({ seq: 9, duplicate: false });
    expect(await b).toEqual({ seq: 8, duplicate: true });
    expect(pub.pending).toBe(0);
    await pub[Symbol.asyncDispose]();
  });

  it('turns PubAck errors and no-responders into retryable statuses, a too-large record into INVALID_ARGUMENT', async () => {
    const nats = new FakeNats();
    const pub = publisher(nats);
    const outcomes: (PublishResult | PipelineError)[] = [];
    for (let i = 0; i < 3; i++) pub.publish({ submissionId: `r${i}`, district: 'x', payload: new Uint8Array() }, (o) => outcomes.push(o));
    await tick();
    nats.answer(0, { error: { code: 503, err_code: 10077, description: 'maximum messages exceeded' } });
    nats.answer(1, { code: 503 });
    nats.answer(2, { error: { code: 400, err_code: 10054, description: 'message size exceeds maximum allowed' } });
    expect(outcomes.map((o) => (o as PipelineError).code)).toEqual(['RESOURCE_EXHAUSTED', 'UNAVAILABLE', 'INVALID_ARGUMENT']);
    expect((outcomes[0] as PipelineError).details['retry-after-ms']).toBe('5000');
    expect((outcomes[1] as PipelineError).retryable).toBe(true);
    expect((outcomes[2] as PipelineError).retryable).toBe(false);
    await pub[Symbol.asyncDispose]();
  });

  it('refuses records beyond the gateway-wide window with RESOURCE_EXHAUSTED', async () => {
    const nats = new FakeNats();
    const pub = publisher(nats, { maxPending: 2, timeoutMs: 50 });
    const all = [0, 1, 2].map((i) => pub.publishAsync({ submissionId: `w${i}`, district: 'x', payload: new Uint8Array() }));
    await expect(all[2]).rejects.toMatchObject({ code: 'RESOURCE_EXHAUSTED', details: { 'retry-after-ms': '500' } });
    expect(pub.pending).toBe(2);
    await tick();
    nats.answer(0, { seq: 1 });
    nats.answer(1, { seq: 2 });
    await expect(Promise.all(all.slice(0, 2))).resolves.toHaveLength(2);
    expect(pub.pending).toBe(0);
    await pub[Symbol.asyncDispose]();
  });

  it('fails a record whose PubAck does not come in time', async () => {
    const nats = new FakeNats();
    const pub = publisher(nats, { timeoutMs: 80 });
    const started = Date.now();
    await expect(pub.publishAsync({ submissionId: 't', district: 'x', payload: new Uint8Array() })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/did not acknowledge in time/) as unknown,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
    await pub[Symbol.asyncDispose]();
  });

  it('fails every outstanding record at once when the connection drops, and refuses new ones until it is back', async () => {
    const nats = new FakeNats();
    const pub = publisher(nats);
    const p = pub.publishAsync({ submissionId: 'd', district: 'x', payload: new Uint8Array() });
    await tick();
    nats.emitStatus({ type: 'disconnect', server: 'x' });
    await expect(p).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(pub.publishAsync({ submissionId: 'e', district: 'x', payload: new Uint8Array() })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    nats.emitStatus({ type: 'reconnect', server: 'x' });
    await tick();
    const q = pub.publishAsync({ submissionId: 'f', district: 'x', payload: new Uint8Array() });
    await tick();
    nats.answer(nats.sent.length - 1, { seq: 3 });
    await expect(q).resolves.toEqual({ seq: 3, duplicate: false });
    await pub[Symbol.asyncDispose]();
  });
});
