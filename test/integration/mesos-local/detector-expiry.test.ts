import assert from 'node:assert/strict';
import { ZkDetector } from '@msched/mesos-local';
import { Zk } from '@msched/zk';
import { eventually } from '../../helpers/eventually';
import { TcpProxy } from '../../helpers/tcp-proxy';
import { RUN_ID, requireStack, testConfig } from '../../helpers/stack';

/**
 * Found by the chaos run (docs/reliability.md): after a ZooKeeper outage longer than the session
 * timeout, agents never found the new leading master again, because the detector's watches died
 * with its session. The detector must open a new session and follow the leader again.
 */
describe('local Mesos: the ZooKeeper master detector survives an expired session (integration)', function () {
  this.timeout(60_000);
  const servers = testConfig().zookeeper.connect;
  const path = `/msched-test/${RUN_ID}/detector-expiry/mesos`;
  let admin: Zk;
  let detector: ZkDetector | undefined;
  let proxy: TcpProxy | undefined;

  before(async () => {
    await requireStack('zookeeper');
    admin = await Zk.connect(servers);
    await admin.mkdirp(path);
  });
  after(async () => {
    await detector?.stop();
    await proxy?.close();
    await admin?.removeRecursive(`/msched-test/${RUN_ID}/detector-expiry`).catch(() => undefined);
    admin?.close();
  });

  const master = (port: number) => admin.create(`${path}/json.info_`, JSON.stringify({ id: `m${port}`, hostname: '127.0.0.1', port, address: { ip: '127.0.0.1', port } }), 'ephemeral_sequential');

  it('follows the leader again after its session expired', async () => {
    const first = await master(1111);
    // The detector reaches ZooKeeper through a relay the test can cut, as a partition does.
    proxy = await TcpProxy.start(servers[0]);
    detector = await ZkDetector.start([`127.0.0.1:${proxy.port}`], path);
    await eventually('the detector to see the first master', () => detector!.current()?.port === 1111 || undefined);

    // Out of touch for longer than its session timeout (10 s): the session and its watches are gone.
    // (Stealing the session from a second client, as this test did before, raced its reconnection.)
    proxy.cut(15_000);
    await new Promise((r) => setTimeout(r, 1000));

    // The leader changes while (or after) the detector renews its session.
    await admin.remove(first);
    await master(2222);
    await eventually('the detector to follow the new leader', () => detector!.current()?.port === 2222 || undefined, 30_000);
  });
});
