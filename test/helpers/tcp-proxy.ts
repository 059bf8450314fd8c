import net from 'node:net';

/**
 * A TCP relay to one server that a test can cut, as a network partition does: every connection
 * through it is dropped and new ones are refused until the cut ends. Used to make a client lose
 * its ZooKeeper session the way production does (out of touch longer than the session timeout).
 */
export class TcpProxy {
  private readonly live = new Set<net.Socket>();
  private cutUntil = 0;

  private constructor(private readonly server: net.Server) {}

  /** A relay to `address` ("host:port", as in a ZooKeeper connect string). */
  static async start(address: string): Promise<TcpProxy> {
    const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
    const server = net.createServer();
    const proxy = new TcpProxy(server);
    server.on('connection', (client) => proxy.relay(client, host, port));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Drops every connection now and refuses new ones for `ms`. */
  cut(ms: number): void {
    this.cutUntil = Date.now() + ms;
    for (const s of this.live) s.destroy();
  }

  async close(): Promise<void> {
    for (const s of this.live) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: net.Socket, host: string, port: number): void {
    if (Date.now() < this.cutUntil) return void client.destroy();
    relayConnection(client, host, port, this.live);
  }
}

/**
 * Joins `client` to a new connection to host:port both ways; either side closing closes the other.
 * Both sockets stay in `live` while open, so whoever owns the relay can drop them all at once.
 */
export function relayConnection(client: net.Socket, host: string, port: number, live: Set<net.Socket>): void {
  const upstream = net.connect(port, host);
  for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
    live.add(a);
    a.on('error', () => undefined);
    a.on('close', () => { live.delete(a); b.destroy(); });
    a.pipe(b);
  }
}
