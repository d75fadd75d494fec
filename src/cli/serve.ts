/** `surveystream dev | gateway | worker`: start roles on the infrastructure and run until a signal. */
import { openInfrastructure, startGateway, startWorker, type Infrastructure, type Validator } from '../runtime.js';
import type { Logger } from '../telemetry/log.js';
import { startHttpEndpoint } from '../telemetry/http.js';
import type { SurveyWorker } from '../pipeline/worker.js';
import { config, reportError, untilSignal, type Command } from './args.js';

export type Role = 'dev' | 'gateway' | 'worker';

export interface RunningRoles extends AsyncDisposable {
  readonly infra: Infrastructure;
  readonly grpcPort?: number;
  readonly httpPort?: number;
  readonly worker?: SurveyWorker;
}

/** What embedding code (tests, benchmarks) may inject; the CLI uses the defaults. */
export interface RoleExtras {
  log?: Logger;
  validator?: Validator;
}

/** Starts the given role(s). Used by the CLI, the demo and the test harness. */
export async function startRoles(role: Role, overrides: Record<string, unknown> = {}, extras: RoleExtras = {}): Promise<RunningRoles> {
  const cfg = config(overrides);
  const infra = await openInfrastructure(cfg, { role, ...(extras.log ? { log: extras.log } : {}) });
  try {
    const worker = role === 'gateway' ? undefined : await startWorker(infra, extras.validator);
    const grpc = role === 'worker' ? undefined : await startGateway(infra);
    let httpPort: number | undefined;
    if (cfg.http.port >= 0) {
      const http = await startHttpEndpoint(cfg.http.host, cfg.http.port, infra.metrics.registry, () => {
        const state = worker?.state ?? 'RUNNING';
        return { ready: state === 'RUNNING', state };
      });
      infra.stack.use('http', http);
      httpPort = http.port;
    }
    return {
      infra,
      ...(grpc ? { grpcPort: grpc.port } : {}),
      ...(httpPort !== undefined ? { httpPort } : {}),
      ...(worker ? { worker } : {}),
      [Symbol.asyncDispose]: () => infra[Symbol.asyncDispose](),
    };
  } catch (err) {
    await Promise.resolve(infra[Symbol.asyncDispose]()).catch(() => undefined);
    throw err;
  }
}

export function serveCommand(role: Role): Command {
  return async () => {
    let running: RunningRoles;
    try {
      running = await startRoles(role);
    } catch (err) {
      return reportError(err);
    }
    const { log } = running.infra;
    log.info({ role, grpcPort: running.grpcPort, httpPort: running.httpPort, nats: running.infra.natsUrl }, 'surveystream running');
    await untilSignal();
    try {
      await running[Symbol.asyncDispose]();
      log.info('stopped cleanly');
      return 0;
    } catch (err) {
      return reportError(err);
    }
  };
}
