import { createReadStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RuntimeBuild } from './runtime-build';

export interface RuntimeServer {
  readonly port: number;
  /** Path part of the runtime's URL: /runtime/msched-task-<sha256>. */
  readonly path: string;
  close(): Promise<void>;
}

/**
 * Serves the task runtime to the agents' fetchers at a content-addressed URL, with Content-Length
 * (without it the Mesos fetcher cache is bypassed and every task downloads ~90 MB). Anything else
 * is 404; only GET and HEAD.
 */
export async function startRuntimeServer(build: RuntimeBuild, host: string, port: number): Promise<RuntimeServer> {
  const path = `/runtime/${build.file}`;
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if ((req.url ?? '').split('?')[0] !== path) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`no such runtime; this dispatcher serves ${path}\n`);
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(build.size),
      // The name is the content's hash: it never changes under this URL.
      'Cache-Control': 'public, max-age=31536000, immutable',
      ETag: `"${build.sha256}"`,
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(build.path);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    path,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
