/**
 * s3rver (an S3 API server) on loopback, in a child process. Its ListObjectsV2 continuation tokens
 * are DES-encrypted, and OpenSSL 3 has DES only in its legacy provider: in-process, every truncated
 * listing is a 500. The child exits when its stdin closes, so it cannot outlive the test process.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
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
