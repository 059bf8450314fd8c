import { createServer, type Server, type Socket } from 'node:net';
import { relayConnection } from './tcp-proxy';

/** A server "coming up": a TCP relay on `port` to `upstream` (host:port) that starts answering only when told. */
export interface LateServer {
  open(): Promise<void>;
  close(): Promise<void>;
}

export function lateServer(port: number, upstream: string): LateServer {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  const [host, upstreamPort] = upstream.split(':');
  return {
    open: () => new Promise((resolve, reject) => {
      if (server) return resolve();
      server = createServer((client) => relayConnection(client, host, Number(upstreamPort), sockets));
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    }),
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server) return resolve();
      server.close(() => resolve());
    }),
  };
}
