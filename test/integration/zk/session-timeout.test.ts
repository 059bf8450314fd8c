import assert from 'node:assert/strict';
import { loadConfig } from '@msched/config';
import { Zk } from '@msched/zk';
import { requireStack, testConfig } from '../../helpers/stack';

/**
 * Issue 14: failover time is bounded by the ZooKeeper session timeout, so it is chosen on purpose
 * (MSCHED_ZK_SESSION_TIMEOUT_MS) and must be what the server actually grants.
 */
describe('ZooKeeper session timeout (integration)', () => {
  const cfg = testConfig();

  before(() => requireStack('zookeeper'));

  it('the default is a deliberate 6-10 s, and the local stack\'s ZooKeeper grants it as asked', async () => {
    const { sessionTimeoutMs } = loadConfig({ MSCHED_ENV: 'test' }).zookeeper;
    assert.ok(sessionTimeoutMs >= 6000 && sessionTimeoutMs <= 10000, `default ${sessionTimeoutMs} ms`);
    const zk = await Zk.connect(cfg.zookeeper.connect, { sessionTimeoutMs });
    try {
      assert.equal(zk.negotiatedSessionTimeoutMs, sessionTimeoutMs);
    } finally {
      zk.close();
    }
  });

  it('reports the timeout the server clamped an out-of-bounds one to', async () => {
    // The local stack's tickTime is 2 s, so sessions last at least 4 s.
    const zk = await Zk.connect(cfg.zookeeper.connect, { sessionTimeoutMs: 1000 });
    try {
      assert.equal(zk.negotiatedSessionTimeoutMs, 4000);
    } finally {
      zk.close();
    }
  });
});
