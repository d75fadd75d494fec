/**
 * S3 servers for tests: s3rver (an S3 API server) on loopback, in a child process, and MinIO
 * through testcontainers where a container runtime exists.
 *
 * s3rver runs in a child process. Its ListObjectsV2 continuation tokens
 * are DES-encrypted, and OpenSSL 3 has DES only in its legacy provider: in-process, every truncated
 * listing is a 500. The child exits when its stdin closes, so it cannot outlive the test process.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface S3rverHandle {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startS3rver(directory: string, bucket: string): Promise<S3rverHandle> {
  const script = `
    const S3rver = require(${JSON.stringify(createRequire(import.meta.url).resolve('s3rver'))});
    const [, directory, name] = process.argv;
    const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name }] });
    server.run().then(({ port }) => process.stdout.write(JSON.stringify({ port }) + '\\n'));
    process.stdin.on('end', () => server.close().finally(() => process.exit(0))).resume();`;
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '-e', script, directory, bucket], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const [line] = (await Promise.race([once(createInterface({ input: child.stdout }), 'line'), exited.then(() => ['{}'])])) as [string];
  const { port } = JSON.parse(line) as { port?: number };
  if (port === undefined) throw new Error('s3rver did not start');
  return {
    port,
    stop: async () => {
      child.stdin.end();
      const timer = setTimeout(() => child.kill(), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Why a container runtime is unavailable (cheap checks, no import), or undefined when one may exist. */
export function noContainerRuntime(): string | undefined {
  if (process.env['DOCKER_HOST'] || process.env['TESTCONTAINERS_HOST_OVERRIDE']) return undefined;
  const sockets = ['/var/run/docker.sock', join(homedir(), '.docker/run/docker.sock')];
  if (sockets.some((s) => existsSync(s))) return undefined;
  return 'no container runtime: DOCKER_HOST and TESTCONTAINERS_HOST_OVERRIDE unset, no docker.sock';
}

export interface MinioHandle {
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  stop(): Promise<unknown>;
}

/** MinIO through testcontainers (image `MINIO_IMAGE`, default minio/minio:latest). */
export async function startMinio(): Promise<MinioHandle> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const started = await new GenericContainer(process.env['MINIO_IMAGE'] ?? 'minio/minio:latest')
    .withCommand(['server', '/data'])
    .withEnvironment({ MINIO_ROOT_USER: 'minioadmin', MINIO_ROOT_PASSWORD: 'minioadmin' })
    .withExposedPorts(9000)
    .withWaitStrategy(Wait.forHttp('/minio/health/ready', 9000))
    .start();
  return {
    endpoint: `http://${started.getHost()}:${started.getMappedPort(9000)}`,
    accessKeyId: 'minioadmin',
    secretAccessKey: 'minioadmin',
    stop: () => started.stop(),
  };
}
