import assert from 'node:assert/strict';
import { Zk, ZkError } from '@msched/zk';
import { requireStack, testConfig } from '../../helpers/stack';
import { TcpProxy } from '../../helpers/tcp-proxy';

/**
 * Found by the chaos run (docs/reliability.md): after a ZooKeeper outage the leading dispatcher
 * stopped processing events. node-zookeeper-client keeps a request made while disconnected in its
 * queue and never answers it if the session expires, so an await on it never returns. Every
 * request of our client must fail after its timeout instead.
 */
describe('ZooKeeper client: a request made while ZooKeeper is unreachable fails instead of hanging (integration)', function () {
  this.timeout(60_000);
  let proxy: TcpProxy | undefined;
  let zk: Zk | undefined;

  before(async () => { await requireStack('zookeeper'); });
  after(async () => { zk?.close(); await proxy?.close(); });

  it('rejects with a ZkError within the request timeout', async () => {
    // A relay in front of ZooKeeper that can be cut, as a ZooKeeper outage cuts every client.
    proxy = await TcpProxy.start(testConfig().zookeeper.connect[0]);
    const proxyPort = proxy.port;
    zk = await Zk.connect([`127.0.0.1:${proxyPort}`], { sessionTimeoutMs: 2000, requestTimeoutMs: 4000 } as Parameters<typeof Zk.connect>[1]);
    assert.equal(await zk.exists('/'), true);

    // The outage: the open connections cut, no new ones for longer than the test waits.
    proxy.cut(60_000);
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
