import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** A named readiness check: resolves true when the dependency answers. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<boolean>;
  /** While failing: why, in words (e.g. what start-up waits for). */
  detail?: () => string | undefined;
}

export interface HealthServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/**
 * /healthz: the process is alive (always 200 while the event loop turns).
 * /readyz: every dependency answers (200) or not (503, with which one failed).
 * /metrics: Prometheus text format.
 */
export async function startHealthServer(opts: { host: string; port: number; registry: Registry; checks: ReadinessCheck[] }): Promise<HealthServer> {
  const server = createServer(async (req, res) => {
    try {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET') {
        res.writeHead(405, { Allow: 'GET' }).end();
      } else if (path === '/healthz') {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
      } else if (path === '/readyz') {
        const results = await Promise.all(opts.checks.map(async (c) => {
          const ok = await c.check().catch(() => false);
          return { name: c.name, ok, detail: ok ? undefined : c.detail?.() };
        }));
        const ok = results.every((r) => r.ok);
        const details = results.filter((r) => r.detail);
        res.writeHead(ok ? 200 : 503, { 'Content-Type': 'application/json' }).end(JSON.stringify({
          status: ok ? 'ready' : 'not ready',
          checks: Object.fromEntries(results.map((r) => [r.name, r.ok ? 'ok' : 'failing'])),
          ...(details.length ? { details: Object.fromEntries(details.map((r) => [r.name, r.detail])) } : {}),
        }));
      } else if (path === '/metrics') {
        res.writeHead(200, { 'Content-Type': opts.registry.contentType }).end(await opts.registry.metrics());
      } else {
        res.writeHead(404).end();
      }
    } catch (e) {
      res.writeHead(500).end(String((e as Error).message));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
