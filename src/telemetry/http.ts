/** Operator HTTP endpoint: /metrics (Prometheus), /livez, /readyz, /healthz, /health (monitor). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export type ReadyCheck = () => { ready: boolean; state: string };

/** The monitor's health report for `/health` (the seed's weighted score and its band). */
export type HealthCheck = () => Promise<unknown>;

export interface HttpEndpoint extends AsyncDisposable {
  readonly port: number;
}

export async function startHttpEndpoint(
  host: string,
  port: number,
  registry: Registry,
  ready: ReadyCheck,
  health?: HealthCheck,
): Promise<HttpEndpoint> {
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/metrics')) {
      registry
        .metrics()
        .then((body) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(body);
        })
        .catch((err: unknown) => {
          res.writeHead(500);
          res.end(String(err));
        });
      return;
    }
    if (url.startsWith('/livez')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"live":true}');
      return;
    }
    if (health && (url === '/health' || url.startsWith('/health?'))) {
      health()
        .then((body) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        })
        .catch((err: unknown) => {
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: String(err) }));
        });
      return;
    }
    if (url.startsWith('/readyz') || url.startsWith('/healthz')) {
      const r = ready();
      res.writeHead(r.ready ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(r));
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  let closed = false;
  return {
    port: (server.address() as AddressInfo).port,
    async [Symbol.asyncDispose]() {
      if (closed) return;
      closed = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
