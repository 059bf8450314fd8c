import { createServer, connect, type Server, type Socket } from 'node:net';

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
      server = createServer((client) => {
        const up = connect(Number(upstreamPort), host);
        sockets.add(client).add(up);
        client.pipe(up).pipe(client);
        const end = () => { client.destroy(); up.destroy(); };
        client.on('error', end).on('close', end);
        up.on('error', end).on('close', end);
      });
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
