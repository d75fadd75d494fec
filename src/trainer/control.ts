/**
 * Operator control of the lifecycle over NATS request/reply: `surveystream models …` and
 * `surveystream retrain` send a JSON request to `surveystream.models.ctl`; one trainer of the
 * queue group answers. The subject is outside every stream, so requests are never persisted.
 */
import { NoRespondersError, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { z } from 'zod';
import { PipelineError, type ErrorCode } from '../errors.js';
import type { Logger } from '../telemetry/log.js';

/** Request subject of the control service. */
export const CONTROL_SUBJECT = 'surveystream.models.ctl';
const QUEUE = 'surveystream-trainer';

/** A control request. */
export const ControlRequestSchema = z.object({
  op: z.enum(['list', 'show', 'promote', 'rollback', 'retrain', 'shadow', 'unshadow']),
  version: z.string().optional(),
  reason: z.string().optional(),
});
export type ControlRequest = z.infer<typeof ControlRequestSchema>;

type ControlReply = { ok: true; result: unknown } | { ok: false; code: ErrorCode; error: string };

function toReply(err: unknown): ControlReply {
  if (err instanceof PipelineError) return { ok: false, code: err.code, error: err.message };
  return { ok: false, code: 'INTERNAL', error: (err as Error).message };
}

/** Serves control requests with `handle`; unsubscribe (or drain the connection) to stop. */
export function serveControl(nc: NatsConnection, handle: (req: ControlRequest) => Promise<unknown>, log: Logger): Subscription {
  return nc.subscribe(CONTROL_SUBJECT, {
    queue: QUEUE,
    callback: (err, msg) => {
      if (err) return;
      const run = async (): Promise<ControlReply> => {
        const parsed = ControlRequestSchema.safeParse(JSON.parse(new TextDecoder().decode(msg.data)));
        if (!parsed.success) return { ok: false, code: 'INVALID_ARGUMENT', error: z.prettifyError(parsed.error) };
        return { ok: true, result: await handle(parsed.data) };
      };
      run()
        .catch(toReply)
        .then((reply) => msg.respond(JSON.stringify(reply)))
        .catch((e: unknown) => log.warn({ err: e }, 'control reply failed'));
    },
  });
}

/** Sends a control request and returns the result; errors come back as PipelineErrors. */
export async function callControl(nc: NatsConnection, req: ControlRequest, timeoutMs: number): Promise<unknown> {
  let reply: ControlReply;
  try {
    const msg = await nc.request(CONTROL_SUBJECT, JSON.stringify(req), { timeout: timeoutMs });
    reply = JSON.parse(new TextDecoder().decode(msg.data)) as ControlReply;
  } catch (err) {
    const noResponders = err instanceof NoRespondersError || (err as { cause?: unknown }).cause instanceof NoRespondersError;
    const why = noResponders ? 'no trainer is running' : `no trainer answered within ${timeoutMs} ms`;
    throw new PipelineError('UNAVAILABLE', `${why} on ${CONTROL_SUBJECT} (start "surveystream trainer" or "surveystream dev")`, true, { cause: err });
  }
  if (!reply.ok) throw new PipelineError(reply.code, reply.error, false);
  return reply.result;
}
