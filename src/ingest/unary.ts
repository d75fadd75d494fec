/**
 * The frame every unary call of the gateway runs in: authenticate, run with a server-side time
 * limit (the client's deadline wins when it is shorter, and a call the client gave up on stops
 * early), translate errors to gRPC statuses in one place, count the outcome.
 */
import { status as GrpcStatus, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { PipelineError, toGrpcStatus } from '../errors.js';
import type { Logger } from '../telemetry/log.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { Authenticator } from './auth.js';
import type { Principal } from './tokens.js';

/** What a unary frame needs. */
export interface CallContext {
  readonly auth: Authenticator;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Server-side limit per unary call, ms. */
  readonly unaryTimeoutMs: number;
}

/** A unary method body: the request, the caller, and a signal that fires on timeout or cancel. */
export type UnaryBody<Req, Res> = (request: Req, principal: Principal, signal: AbortSignal) => Promise<Res>;

/** Milliseconds until the call's deadline (Infinity without one). */
export function remainingMs(deadline: Date | number): number {
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(at) ? at - Date.now() : Infinity;
}

/** Logs what is a bug or an outage, not what the caller got wrong. */
export function logFailure(log: Logger, method: string, err: unknown): void {
  if (!(err instanceof PipelineError) || err.code === 'INTERNAL') log.error({ err, method }, 'call failed');
}

/** Wraps a body into a grpc-js unary handler. */
export function unary<Req, Res>(
  method: string,
  ctx: CallContext,
  body: UnaryBody<Req, Res>,
): (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => void {
  return (call, callback) => {
    const limitMs = Math.min(ctx.unaryTimeoutMs, remainingMs(call.getDeadline()));
    const abort = new AbortController();
    const onCancel = (): void => abort.abort(new PipelineError('TIMEOUT', 'the client cancelled the call', false));
    call.once('cancelled', onCancel);
    const timer = setTimeout(
      () => abort.abort(new PipelineError('TIMEOUT', `${method} took longer than ${Math.round(limitMs)} ms`, true)),
      Math.max(0, limitMs),
    );
    const timedOut = new Promise<never>((_, reject) => {
      abort.signal.addEventListener('abort', () => reject(abort.signal.reason as Error), { once: true });
    });
    const run = async (): Promise<Res> => {
      const principal = await ctx.auth.authenticate(call.metadata);
      return body(call.request, principal, abort.signal);
    };
    Promise.race([run(), timedOut])
      .then(
        (res) => {
          ctx.metrics.grpcRequests.inc({ method, code: 'OK' });
          callback(null, res);
        },
        (err: unknown) => {
          const st = toGrpcStatus(err);
          ctx.metrics.grpcRequests.inc({ method, code: String(st.code) });
          if (st.code !== GrpcStatus.DEADLINE_EXCEEDED) logFailure(ctx.log, method, err);
          callback(st, null);
        },
      )
      .finally(() => {
        clearTimeout(timer);
        call.removeListener('cancelled', onCancel);
      });
  };
}
