import assert from 'node:assert/strict';
import zookeeper from 'node-zookeeper-client';
import { createLogger } from '@msched/logging';
import { Leadership } from '@msched/dispatcher';
import { Zk } from '@msched/zk';
import { eventually } from '../../helpers/eventually';
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

  before(() => requireStack('zookeeper'));
  after(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    const admin = await Zk.connect(zkCfg.connect);
    await admin.removeRecursive(zkCfg.root).catch(() => undefined);
    admin.close();
  });

  /**
   * Ends a session from outside, as ZooKeeper does when a client stays away too long: a second
   * client attaches to it and closes it. Settles on every outcome: attaching to a session that
   * already ended yields 'expired', never 'connected' (waiting for 'connected' alone hung the test
   * whenever a second theft ran before the standby noticed the first).
   */
  function expireSession(zk: Zk): Promise<void> {
    const client = (zk as unknown as { client: zookeeper.Client }).client;
    const thief = zookeeper.createClient(zkCfg.connect.join(','), { sessionId: client.getSessionId(), sessionPassword: client.getSessionPassword(), sessionTimeout: 10_000 } as never);
    return new Promise((resolve) => {
      const done = (): void => { clearTimeout(timer); thief.removeAllListeners('state'); thief.close(); resolve(); };
      const timer = setTimeout(done, 5000);
      thief.on('state', (state: zookeeper.State) => {
        if (state === zookeeper.State.SYNC_CONNECTED || state === zookeeper.State.EXPIRED || state === zookeeper.State.AUTH_FAILED) done();
      });
      thief.connect();
    });
  }

  async function replica(identity: string): Promise<Leadership> {
    const r = new Leadership(zkCfg, identity, logger);
    replicas.push(r);
    await r.start();
    return r;
  }

  it('takes over when the leader goes after the standby lost its session', async () => {
    const leader = await replica('a');
    const standby = await replica('b');
    await eventually('a to lead', () => leader.isLeader || undefined);
    assert.equal(standby.isLeader, false);

    const oldSession = standby.zk!.sessionId;
    // The theft races the standby's own reconnection: when the standby wins it, the thief's close
    // goes nowhere and the old session lives on, so steal again until it really ended.
    await eventually('the standby to hold a new session', async () => {
      const zk = standby.zk;
      if (zk && zk.sessionId !== oldSession) return true;
      if (zk) await expireSession(zk);
      return undefined;
    }, { timeoutMs: 45_000, intervalMs: 3000 });

    await leader.stop();
    await eventually('the standby to take over', () => standby.isLeader || undefined, 30_000);
    assert.equal(await standby.currentLeader(), 'b');
  });
});
