import assert from 'node:assert/strict';
import { Zk } from '@msched/zk';
import { replicaSuite } from './replicas';
import { eventually, frameworkConnected } from './support';

/** ZooKeeper expires sessions in buckets of its tickTime (2 s in deploy/local/stack.sh). */
const ZK_TICK_MS = 2000;

/**
 * Issue 14: a restarted dispatcher became leader 21 s after the old leader's kill -9. What bounds
 * it is the ZooKeeper session of the dead leader (its candidate node lives until the session
 * expires). With MSCHED_ZK_SESSION_TIMEOUT_MS chosen, a standby leads within that timeout plus at
 * most one server tick, and not before the session is gone (at least two thirds of the timeout
 * after the kill: the session runs from the dead client's last ping).
 */
describe('dispatcher: failover time is bounded by the ZooKeeper session timeout', function () {
  this.timeout(120_000);
  const suite = 'dbound';
  const sessionTimeoutMs = 6000;
  const s = replicaSuite(suite, { agents: 1, cpus: 1 }, { MSCHED_ZK_SESSION_TIMEOUT_MS: String(sessionTimeoutMs) });

  it('the client is granted the configured timeout', async () => {
    const session = await Zk.connect(s.cfg.zookeeper.connect, { sessionTimeoutMs: s.cfg.zookeeper.sessionTimeoutMs });
    try {
      assert.equal(session.negotiatedSessionTimeoutMs, sessionTimeoutMs);
    } finally {
      session.close();
    }
  });

  it('a standby leads within the session timeout (plus one server tick) of the leader\'s kill -9, and not before', async () => {
    const first = s.replicas.start();
    await eventually('the first replica to lead', async () => ((await s.replicas.leaderPid(s.zk)) === first.child.pid ? true : undefined));
    const standby = s.replicas.start();
    await eventually('the standby to join the election', async () => (/joined election/.test(standby.log) ? true : undefined));
    const frameworkId = await eventually('the framework to be registered', async () => (await s.ds.query('SELECT framework_id FROM framework'))[0]?.framework_id as string | undefined);

    const killedAt = Date.now();
    first.child.kill('SIGKILL');
    await first.exited;
    await eventually('the standby to lead', async () => ((await s.replicas.leaderPid(s.zk)) === standby.child.pid ? true : undefined), 60_000);
    const electedAfter = Date.now() - killedAt;
    await eventually('the standby to subscribe', async () => ((await frameworkConnected(s.cluster.masterUrl, frameworkId)) ? true : undefined), 30_000);
    const subscribedAfter = Date.now() - killedAt;
    process.stdout.write(`      session timeout ${sessionTimeoutMs} ms: elected ${electedAfter} ms, subscribed ${subscribedAfter} ms after the kill -9\n`);
    // The dead leader's candidate node lives as long as its session: the timeout counted from its
    // last ping (clients ping every third of the timeout when idle), rounded up to a server tick.
    assert.ok(electedAfter >= (sessionTimeoutMs * 2) / 3 - 500, `elected after ${electedAfter} ms: before the session could expire?`);
    // Slack for polling and a loaded machine.
    assert.ok(electedAfter <= sessionTimeoutMs + ZK_TICK_MS + 3000, `elected after ${electedAfter} ms, over the bound of ${sessionTimeoutMs} + ${ZK_TICK_MS} ms`);
  });
});
