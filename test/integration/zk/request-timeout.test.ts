import assert from 'node:assert/strict';
import { connect, createServer, Server, Socket } from 'node:net';
import { Zk, ZkError } from '@msched/zk';
import { requireStack, testConfig } from '../../helpers/stack';

/**
 * Found by the chaos run (docs/reliability.md): after a ZooKeeper outage the leading dispatcher
 * stopped processing events. node-zookeeper-client keeps a request made while disconnected in its
 * queue and never answers it if the session expires, so an await on it never returns. Every
 * request of our client must fail after its timeout instead.
 */
describe('ZooKeeper client: a request made while ZooKeeper is unreachable fails instead of hanging (integration)', function () {
  this.timeout(60_000);
  let proxy: Server;
  const sockets = new Set<Socket>();
  let zk: Zk | undefined;

  before(async () => { await requireStack('zookeeper'); });
  after(() => { zk?.close(); proxy?.close(); for (const s of sockets) s.destroy(); });

  it('rejects with a ZkError within the request timeout', async () => {
    const [host, port] = testConfig().zookeeper.connect[0].split(':');
    // A proxy in front of ZooKeeper that can be cut, as a ZooKeeper outage cuts every client.
    proxy = createServer((client) => {
      const upstream = connect(Number(port), host);
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const end = () => { client.destroy(); upstream.destroy(); };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const proxyPort = (proxy.address() as { port: number }).port;
    zk = await Zk.connect([`127.0.0.1:${proxyPort}`], { sessionTimeoutMs: 2000, requestTimeoutMs: 4000 } as Parameters<typeof Zk.connect>[1]);
    assert.equal(await zk.exists('/'), true);

    // The outage: no new connections, the open ones cut.
    const closed = new Promise<void>((r) => proxy.close(() => r()));
    for (const s of sockets) s.destroy();
    await closed;
    await new Promise((r) => setTimeout(r, 200));

    const started = Date.now();
    const outcome = await Promise.race([
      zk.getData('/').then(() => 'answered', (e: unknown) => e),
      new Promise((r) => setTimeout(() => r('still waiting after 20 s'), 20_000)),
    ]);
    assert.ok(outcome instanceof ZkError, `expected a ZkError, got ${String(outcome)}`);
    assert.ok(Date.now() - started < 10_000, 'it failed within the request timeout');
  });
});
