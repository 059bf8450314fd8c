import assert from 'node:assert/strict';
import { once } from 'node:events';
import { LeaderElection, Zk } from '@msched/zk';
import { requireStack, testConfig } from '../../helpers/stack';

describe('leader election over real ZooKeeper (integration)', () => {
  const cfg = testConfig();
  const path = `${cfg.zookeeper.root}/election/dispatcher`;
  const sessions: Zk[] = [];

  before(() => requireStack('zookeeper'));
  after(async () => {
    const admin = await Zk.connect(cfg.zookeeper.connect);
    await admin.removeRecursive(cfg.zookeeper.root);
    admin.close();
    sessions.forEach((s) => s.close());
  });

  async function candidate(identity: string): Promise<LeaderElection> {
    const zk = await Zk.connect(cfg.zookeeper.connect, { sessionTimeoutMs: 4000 });
    sessions.push(zk);
    const e = new LeaderElection(zk, { path, identity });
    await e.start();
    return e;
  }

  it('elects exactly one leader and hands over in order when leaders go', async () => {
    const a = await candidate('a');
    const b = await candidate('b');
    const c = await candidate('c');
    assert.deepEqual([a.isLeader, b.isLeader, c.isLeader], [true, false, false]);
    assert.equal((await b.currentLeader())?.identity, 'a');

    // The leader's process dies: its session closes, its ephemeral node goes, b takes over.
    const bElected = once(b, 'elected');
    sessions[0].close();
    await bElected;
    assert.deepEqual([b.isLeader, c.isLeader], [true, false]);

    // b steps down on purpose: c leads, b reports it was deposed.
    const cElected = once(c, 'elected');
    const bDeposed = once(b, 'deposed');
    await b.resign();
    assert.deepEqual(await bDeposed, ['resigned']);
    await cElected;
    assert.equal(c.isLeader, true);
    assert.equal((await c.currentLeader())?.identity, 'c');
  });
});
