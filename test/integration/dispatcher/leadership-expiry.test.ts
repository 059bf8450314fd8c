import assert from 'node:assert/strict';
import { createLogger } from '@msched/logging';
import { Leadership } from '@msched/dispatcher';
import { Zk } from '@msched/zk';
import { eventually } from '../../helpers/eventually';
import { TcpProxy } from '../../helpers/tcp-proxy';
import { RUN_ID, requireStack, testConfig } from '../../helpers/stack';

/**
 * Found by the chaos run (docs/reliability.md): a dispatcher STANDBY whose ZooKeeper session
 * expired (an outage longer than the session timeout) never rejoined the election, so when the
 * leader later went there was nobody to take over. Only a leader was told of the expiry.
 */
describe('dispatcher leadership: a standby whose session expired rejoins the election (integration)', function () {
  this.timeout(90_000);
  const base = testConfig();
  const zkCfg = { ...base.zookeeper, root: `/msched-test/${RUN_ID}/leadership-expiry`, sessionTimeoutMs: 4000 };
  const logger = createLogger({ service: 'leadership-expiry', silent: process.env.MSCHED_TEST_LOGS !== '1', level: 'debug' });
  const replicas: Leadership[] = [];
  let proxy: TcpProxy | undefined;

  before(() => requireStack('zookeeper'));
  after(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await proxy?.close();
    const admin = await Zk.connect(zkCfg.connect);
    await admin.removeRecursive(zkCfg.root).catch(() => undefined);
    admin.close();
  });

  async function replica(identity: string, cfg = zkCfg): Promise<Leadership> {
    const r = new Leadership(cfg, identity, logger);
    replicas.push(r);
    await r.start();
    return r;
  }

  it('takes over when the leader goes after the standby lost its session', async () => {
    const leader = await replica('a');
    // The standby reaches ZooKeeper through a relay the test can cut, as a partition does.
    proxy = await TcpProxy.start(zkCfg.connect[0]);
    const standby = await replica('b', { ...zkCfg, connect: [`127.0.0.1:${proxy.port}`] });
    await eventually('a to lead', () => leader.isLeader || undefined);
    assert.equal(standby.isLeader, false);

    // Out of touch for longer than the session timeout (4 s): the session is gone, as in an outage.
    // (Stealing the session from a second client, as this test did before, raced the standby's own
    // reconnection and sometimes never ended the session.)
    const oldSession = standby.zk!.sessionId;
    proxy.cut(10_000);
    await eventually('the standby to hold a new session', () => {
      const zk = standby.zk;
      return (zk !== undefined && zk.sessionId !== oldSession) || undefined;
    }, { timeoutMs: 45_000, intervalMs: 200 });

    await leader.stop();
    await eventually('the standby to take over', () => standby.isLeader || undefined, 30_000);
    assert.equal(await standby.currentLeader(), 'b');
  });
});
