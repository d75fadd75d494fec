import { describe, expect, it, vi } from 'vitest';
import { Survey } from '../../../src/gen/surveystream/v1/survey.js';
import { SurveyWorker, type WorkerOptions } from '../../../src/pipeline/worker.js';
import type { BatchSink, Item } from '../../../src/pipeline/types.js';
import { createLogger } from '../../../src/telemetry/log.js';
import { createMetrics } from '../../../src/telemetry/metrics.js';
import { fakeConsumer, fakeMsg, type FakeMsg } from './fakes.js';

const opts: WorkerOptions = { maxBatchRows: 10, flushIntervalMs: 5, maxInFlight: 100, pullBatch: 10, maxDeliver: 3, retryDelayMs: 7, drainTimeoutMs: 2000, flushConcurrency: 2 };
const validator = (v: Record<string, unknown>) =>
  v['HouseholdSize'] === 0
    ? { valid: false, qualityScore: 0, hits: [{ ruleId: 'range.HouseholdSize', severity: 'error' as const, fields: ['HouseholdSize'], message: 'zero' }] }
    : { valid: true, qualityScore: 1, hits: [] };

function msgs(n: number, deliveryCount = 1, size = (i: number) => i + 1): FakeMsg[] {
  return Array.from({ length: n }, (_, i) =>
    fakeMsg(Survey.encode(Survey.fromPartial({ submissionId: `s${i}`, district: 'Kanungu', householdSize: size(i) })).finish(), i + 1, { deliveryCount }),
  );
}

function recordingSink(name: string, fail: (batch: readonly Item[]) => boolean = () => false): BatchSink & { seen: Item[][] } {
  const seen: Item[][] = [];
  return {
    name,
    seen,
    write(batch) {
      if (fail(batch)) return Promise.reject(new Error(`${name} failed`));
      seen.push([...batch]);
      return Promise.resolve();
    },
  };
}

async function run(messages: FakeMsg[], sinks: BatchSink[], deadLetterSink: BatchSink = recordingSink('dlq')) {
  const worker = new SurveyWorker(opts, { consumer: fakeConsumer(messages), sinks, deadLetterSink, validator, metrics: createMetrics({ defaultMetrics: false }), log: createLogger('silent') });
  void worker.start();
  await vi.waitFor(() => expect(messages.every((m) => m.acked + m.naked.length > 0)).toBe(true), { timeout: 3000 });
  await worker.drain();
  return worker;
}

describe('SurveyWorker', () => {
  it('acks every record once, after the sinks wrote it, in batches of at most maxBatchRows', async () => {
    const messages = msgs(25);
    const sink = recordingSink('surveys');
    const worker = await run(messages, [sink]);
    expect(messages.every((m) => m.acked === 1 && m.naked.length === 0)).toBe(true);
    expect(sink.seen.flat()).toHaveLength(25);
    expect(Math.max(...sink.seen.map((b) => b.length))).toBeLessThanOrEqual(10);
    expect(worker.state).toBe('STOPPED');
  });

  it('passes rejected records to the sinks as values and acks them too', async () => {
    const messages = msgs(4, 1, (i) => (i === 2 ? 0 : 3));
    const sink = recordingSink('all');
    await run(messages, [sink]);
    const rejected = sink.seen.flat().filter((i) => i.kind === 'rejected');
    expect(rejected).toHaveLength(1);
    expect(messages.every((m) => m.acked === 1)).toBe(true);
  });

  it('isolates a poison record by splitting the batch: the others land', async () => {
    const messages = msgs(8);
    const poison = (batch: readonly Item[]) => batch.some((i) => i.kind === 'accepted' && i.record.meta.submissionId === 's5');
    const sink = recordingSink('surveys', poison);
    await run(messages, [sink]);
    expect(messages.filter((m) => m.acked === 1)).toHaveLength(7);
    expect(messages[5]!.naked).toEqual([7]);
    expect(sink.seen.flat()).toHaveLength(7);
  });

  it('dead-letters a record that failed maxDeliver times, then acks it', async () => {
    const messages = msgs(1, 3);
    const dlq = recordingSink('dlq');
    await run(messages, [recordingSink('surveys', () => true)], dlq);
    expect(messages[0]!.acked).toBe(1);
    expect(dlq.seen.flat()[0]).toMatchObject({ kind: 'rejected', stage: 'sink', ruleIds: ['sink.max_deliver'] });
  });

  it('drains: records pulled before the drain are flushed and acked', async () => {
    const messages = msgs(30);
    const slow: BatchSink = { name: 'slow', write: () => new Promise((r) => setTimeout(r, 20)) };
    const worker = new SurveyWorker(opts, { consumer: fakeConsumer(messages), sinks: [slow], deadLetterSink: slow, validator, metrics: createMetrics({ defaultMetrics: false }), log: createLogger('silent') });
    void worker.start();
    await vi.waitFor(() => expect(messages.some((m) => m.acked > 0)).toBe(true));
    await worker.drain();
    expect(worker.state).toBe('STOPPED');
    // Every record the worker pulled was either acked (flushed) or handed back with a nak; none is
    // left hanging, and none is settled twice. Records never pulled stay with the server.
    expect(messages.filter((m) => m.pulled).every((m) => m.acked + m.naked.length === 1)).toBe(true);
    expect(messages.every((m) => m.acked + m.naked.length <= 1)).toBe(true);
    await worker[Symbol.asyncDispose]();
  });
});
