import { describe, expect, it } from 'vitest';
import { status, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { PipelineError } from '../../../src/errors.js';
import { noAuth, type Authenticator } from '../../../src/ingest/auth.js';
import { unary, type CallContext } from '../../../src/ingest/unary.js';
import { createLogger } from '../../../src/telemetry/log.js';
import { createMetrics } from '../../../src/telemetry/metrics.js';
import { FakeCall } from './fakes.js';

const ctx = (auth: Authenticator = noAuth, unaryTimeoutMs = 1000): CallContext => ({
  auth,
  log: createLogger('silent'),
  metrics: createMetrics({ defaultMetrics: false }),
  unaryTimeoutMs,
});

function invoke<Res>(handler: (call: ServerUnaryCall<unknown, Res>, cb: sendUnaryData<Res>) => void, call = new FakeCall()): Promise<{ err: { code: number; details: string } | null; res: Res | null | undefined }> {
  return new Promise((resolve) => handler(call as unknown as ServerUnaryCall<unknown, Res>, (err, res) => resolve({ err: err as never, res })));
}

describe('unary call frame', () => {
  it('answers with the body result', async () => {
    const out = await invoke(unary('M', ctx(), () => Promise.resolve({ ok: 1 })));
    expect(out).toEqual({ err: null, res: { ok: 1 } });
  });

  it('answers DEADLINE_EXCEEDED after the server-side limit and aborts the body', async () => {
    let aborted = false;
    const out = await invoke(
      unary('M', ctx(noAuth, 30), (_req, _p, signal) => new Promise((resolve) => signal.addEventListener('abort', () => ((aborted = true), resolve(1))))),
    );
    expect(out.err?.code).toBe(status.DEADLINE_EXCEEDED);
    expect(aborted).toBe(true);
  });

  it('answers the status of a PipelineError, UNAUTHENTICATED before running the body', async () => {
    let ran = false;
    const deny: Authenticator = { mode: 'token', authenticate: () => Promise.reject(new PipelineError('UNAUTHENTICATED', 'no', false)) };
    const out = await invoke(unary('M', ctx(deny), () => ((ran = true), Promise.resolve(1))));
    expect(out.err?.code).toBe(status.UNAUTHENTICATED);
    expect(ran).toBe(false);
    const bad = await invoke(unary('M', ctx(), () => Promise.reject(new PipelineError('NOT_FOUND', 'gone', false))));
    expect(bad.err).toMatchObject({ code: status.NOT_FOUND, details: 'gone' });
  });

  it('stops when the client cancels', async () => {
    const call = new FakeCall();
    const pending = invoke(unary('M', ctx(), (_r, _p, signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve(2)))), call);
    call.emit('cancelled');
    expect((await pending).err?.code).toBe(status.DEADLINE_EXCEEDED);
  });
});
