/** The gRPC server: IngestService, health checking and reflection, with message-size limits. */
import { fileURLToPath } from 'node:url';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { HealthImplementation } from 'grpc-health-check';
import { ReflectionService } from '@grpc/reflection';
import { IngestServiceService, type IngestServiceServer } from '../gen/surveystream/v1/ingest.js';

export const PROTO_DIR = fileURLToPath(new URL('../../proto', import.meta.url));
const SERVICE_NAMES = ['surveystream.v1.IngestService'];

export interface GrpcServerOptions {
  host: string;
  port: number;
  maxMessageBytes: number;
  shutdownGraceMs: number;
  credentials?: ServerCredentials;
}

export interface GrpcEndpoint extends AsyncDisposable {
  readonly port: number;
  readonly health: HealthImplementation;
  /** Stops accepting calls; in-flight calls get `shutdownGraceMs` before they are cancelled. */
  shutdown(): Promise<void>;
}

export async function startGrpcServer(options: GrpcServerOptions, ingest: IngestServiceServer): Promise<GrpcEndpoint> {
  const server = new Server({
    'grpc.max_receive_message_length': options.maxMessageBytes,
    'grpc.max_send_message_length': options.maxMessageBytes,
  });
  server.addService(IngestServiceService, ingest);
  const health = new HealthImplementation({ '': 'SERVING', ...Object.fromEntries(SERVICE_NAMES.map((s) => [s, 'SERVING' as const])) });
  health.addToServer(server);
  const pkg = loadSync(['surveystream/v1/ingest.proto'], { includeDirs: [PROTO_DIR] });
  new ReflectionService(pkg).addToServer(server);
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
      for (const s of ['', ...SERVICE_NAMES]) health.setStatus(s, 'NOT_SERVING');
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
