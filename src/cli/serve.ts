/** `surveystream dev | gateway | worker | archiver | trainer | monitor`: start roles on the infrastructure and run until a signal. */
import { openInfrastructure, startArchiver, startGateway, startMonitor, startTrainer, startWorker, type Infrastructure, type MonitorHandle, type Validator } from '../runtime.js';
import type { Logger } from '../telemetry/log.js';
import { startHttpEndpoint } from '../telemetry/http.js';
import type { SurveyWorker } from '../pipeline/worker.js';
import { config, reportError, untilSignal, type Command } from './args.js';

export type Role = 'dev' | 'gateway' | 'worker' | 'archiver' | 'trainer' | 'monitor';

export interface RunningRoles extends AsyncDisposable {
  readonly infra: Infrastructure;
  readonly grpcPort?: number;
  readonly httpPort?: number;
  readonly worker?: SurveyWorker;
  readonly monitor?: MonitorHandle;
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
    const worker = role === 'dev' || role === 'worker' ? await startWorker(infra, extras.validator) : undefined;
    if ((role === 'dev' && cfg.archive.enabled) || role === 'archiver') await startArchiver(infra);
    if ((role === 'dev' && cfg.trainer.enabled) || role === 'trainer') await startTrainer(infra);
    const grpc = role === 'dev' || role === 'gateway' ? await startGateway(infra) : undefined;
    const monitor = role === 'monitor' || (role === 'dev' && cfg.monitor.enabled) ? await startMonitor(infra) : undefined;
    let httpPort: number | undefined;
    if (cfg.http.port >= 0) {
      // Ready: the worker (if any) is running and NATS is connected; while the client reconnects,
      // a load balancer or Kubernetes sends nothing here.
      const http = await startHttpEndpoint(cfg.http.host, cfg.http.port, infra.metrics.registry, () => {
        const state = worker?.state ?? 'RUNNING';
        if (!infra.bus.connected) return { ready: false, state: 'NATS_DISCONNECTED' };
        return { ready: state === 'RUNNING', state };
      }, monitor ? () => monitor.health() : undefined);
      infra.stack.use('http', http);
      httpPort = http.port;
    }
    return {
      infra,
      ...(grpc ? { grpcPort: grpc.port } : {}),
      ...(httpPort !== undefined ? { httpPort } : {}),
      ...(worker ? { worker } : {}),
      ...(monitor ? { monitor } : {}),
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
    log.info({ grpcPort: running.grpcPort, httpPort: running.httpPort, nats: running.infra.natsUrl }, 'surveystream running');
    await untilSignal();
    try {
      await running[Symbol.asyncDispose]();
      log.info('stopped cleanly');
      // Everything is closed; if a third-party handle still holds the event loop, do not hang.
      setTimeout(() => process.exit(0), 2000).unref();
      return 0;
    } catch (err) {
      return reportError(err);
    }
  };
}
