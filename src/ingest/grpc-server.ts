/**
 * The gRPC server: our services, health checking and reflection (both open, without auth), TLS,
 * message-size limits and keepalive.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server, ServerCredentials, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { HealthImplementation, protoPath as HEALTH_PROTO } from 'grpc-health-check';
import { ReflectionService } from '@grpc/reflection';

/** Root of the .proto files (reflection reads them). */
export const PROTO_DIR = fileURLToPath(new URL('../../proto', import.meta.url));
const PROTO_FILES = ['surveystream/v1/ingest.proto', 'surveystream/v1/prediction_service.proto'];

/** Caller input for {@link startGrpcServer}. */
export interface GrpcServerOptions {
  host: string;
  port: number;
  /** Largest message in either direction, bytes. */
  maxMessageBytes: number;
  /** In-flight calls get this long at shutdown before they are cancelled, ms. */
  shutdownGraceMs: number;
  /** @default insecure */
  credentials?: ServerCredentials;
  /** HTTP/2 keepalive ping interval, ms. */
  keepaliveTimeMs?: number;
  /** Close a connection whose ping is not answered within, ms. */
  keepaliveTimeoutMs?: number;
}

/** One service to serve: its full name (for health), definition and implementation. */
export interface GrpcService {
  readonly name: string;
  readonly definition: ServiceDefinition;
  readonly implementation: UntypedServiceImplementation;
}

/** A listening server; disposing it shuts it down (gracefully, then forced). */
export interface GrpcEndpoint extends AsyncDisposable {
  readonly port: number;
  readonly health: HealthImplementation;
  /** Stops accepting calls; in-flight calls get `shutdownGraceMs` before they are cancelled. */
  shutdown(): Promise<void>;
}

function serverOptions(options: GrpcServerOptions): Record<string, number> {
  return {
    'grpc.max_receive_message_length': options.maxMessageBytes,
    'grpc.max_send_message_length': options.maxMessageBytes,
    ...(options.keepaliveTimeMs ? { 'grpc.keepalive_time_ms': options.keepaliveTimeMs } : {}),
    ...(options.keepaliveTimeoutMs ? { 'grpc.keepalive_timeout_ms': options.keepaliveTimeoutMs } : {}),
    'grpc.keepalive_permit_without_calls': 1,
  };
}

function addReflection(server: Server): void {
  const pkg = loadSync([...PROTO_FILES, HEALTH_PROTO], { includeDirs: [PROTO_DIR, dirname(HEALTH_PROTO)] });
  new ReflectionService(pkg).addToServer(server);
}

/** Starts the server on `host:port` (0 = a free port). */
export async function startGrpcServer(options: GrpcServerOptions, services: readonly GrpcService[]): Promise<GrpcEndpoint> {
  const server = new Server(serverOptions(options));
  for (const s of services) server.addService(s.definition, s.implementation);
  const names = services.map((s) => s.name);
  const health = new HealthImplementation({ '': 'SERVING', ...Object.fromEntries(names.map((s) => [s, 'SERVING' as const])) });
  health.addToServer(server);
  addReflection(server);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(
      `${options.host}:${options.port}`,
      options.credentials ?? ServerCredentials.createInsecure(),
      (err, bound) => (err ? reject(err) : resolve(bound)),
    );
  });
  let stopped: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    stopped ??= new Promise<void>((resolve) => {
      for (const s of ['', ...names]) health.setStatus(s, 'NOT_SERVING');
      const timer = setTimeout(() => server.forceShutdown(), options.shutdownGraceMs);
      timer.unref();
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    return stopped;
  };
  return { port, health, shutdown, [Symbol.asyncDispose]: shutdown };
}
