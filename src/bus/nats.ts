/** NATS connection from config, plus the JetStream handles every role uses. */
import { readFileSync } from 'node:fs';
import { connect, credsAuthenticator, type ConnectionOptions, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, JetStreamApiCodes, JetStreamApiError, type Consumer, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { Config } from '../config.js';
import { PipelineError } from '../errors.js';

export interface Bus extends AsyncDisposable {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** False between a disconnect and the reconnect (the client keeps trying); false once closed. */
  readonly connected: boolean;
}

export function natsConnectionOptions(cfg: Config['nats'], url: string, name: string): ConnectionOptions {
  const opts: ConnectionOptions = { servers: url.split(','), name, maxReconnectAttempts: -1 };
  if (cfg.user) opts.user = cfg.user;
  if (cfg.pass) opts.pass = cfg.pass;
  if (cfg.token) opts.token = cfg.token;
  if (cfg.credsFile) opts.authenticator = credsAuthenticator(readFileSync(cfg.credsFile));
  if (cfg.tlsCaFile || cfg.tlsCertFile || cfg.tlsKeyFile) {
    opts.tls = {
      ...(cfg.tlsCaFile ? { caFile: cfg.tlsCaFile } : {}),
      ...(cfg.tlsCertFile ? { certFile: cfg.tlsCertFile } : {}),
      ...(cfg.tlsKeyFile ? { keyFile: cfg.tlsKeyFile } : {}),
    };
  }
  return opts;
}

/** Connects and checks that JetStream is enabled. `dispose` drains the connection. */
export async function connectBus(cfg: Config['nats'], url: string, name: string): Promise<Bus> {
  let nc: NatsConnection;
  try {
    nc = await connect(natsConnectionOptions(cfg, url, name));
  } catch (err) {
    throw new PipelineError('UNAVAILABLE', `cannot connect to NATS at ${url}: ${(err as Error).message}`, true, {
      cause: err,
    });
  }
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc);
  } catch (err) {
    await nc.close();
    throw new PipelineError('UNAVAILABLE', `JetStream is not enabled on ${url} (start nats-server with -js)`, false, {
      cause: err,
    });
  }
  const js = jetstream(nc);
  let disposed = false;
  let connected = true;
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') connected = false;
      else if (s.type === 'reconnect') connected = true;
    }
  })();
  return {
    nc,
    js,
    jsm,
    get connected() {
      return connected && !nc.isClosed();
    },
    async [Symbol.asyncDispose]() {
      if (disposed || nc.isClosed()) return;
      disposed = true;
      await nc.drain();
    },
  };
}

/**
 * A durable consumer of ours. A missing stream or consumer (a role started before the topology was
 * applied) is a readable UNAVAILABLE error instead of the client's stack trace.
 */
export async function durableConsumer(js: JetStreamClient, stream: string, name: string): Promise<Consumer> {
  try {
    return await js.consumers.get(stream, name);
  } catch (err) {
    const code = err instanceof JetStreamApiError ? err.code : undefined;
    if (code === JetStreamApiCodes.StreamNotFound || code === JetStreamApiCodes.ConsumerNotFound) {
      throw new PipelineError(
        'UNAVAILABLE',
        `JetStream ${code === JetStreamApiCodes.StreamNotFound ? `stream ${stream}` : `consumer ${stream}/${name}`} does not exist: run "surveystream streams apply" first (or start with SURVEYSTREAM_APPLY_STREAMS=true)`,
        true,
        { cause: err },
      );
    }
    throw err;
  }
}
