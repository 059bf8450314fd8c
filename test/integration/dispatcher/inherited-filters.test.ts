import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import type { LocalCluster } from '@msched/mesos-local';
import { startDispatcher, type DispatcherHandle } from '@msched/dispatcher';
import { requireStack } from '../../helpers/stack';
import { testLogger } from '../../helpers/pipeline';
import { eventually, jobReaches, jobView, prepareSuite, removeZkRoot, seedJob, shellApp, startCluster, suiteConfig } from './support';

/**
 * Issue 14: after a dispatcher failover, gangs waited ~300 s with idle agents. The old leader had
 * declined idle offers with MSCHED_DISPATCHER_IDLE_REFUSE_SECONDS (300) and the master keeps a
 * framework's filters across subscriptions; the new leader only revived roles its own process had
 * declined, so it inherited filters it did not know about. A leader must REVIVE on (re)subscription.
 */
describe('dispatcher: a new leader does not inherit the old leader\'s decline filters', function () {
  this.timeout(120_000);
  const cfg = suiteConfig('dinherit', { MSCHED_DISPATCHER_IDLE_REFUSE_SECONDS: '300' });
  let ds: DataSource;
  let cluster: LocalCluster;
  const dispatchers: DispatcherHandle[] = [];

  before(async () => {
    await requireStack('postgres', 'kafka', 'zookeeper');
    ds = await prepareSuite(cfg);
    cluster = await startCluster(cfg, { agents: 2, cpus: 2 });
  });

  after(async () => {
    for (const d of dispatchers) await d.stop().catch(() => undefined);
    await cluster?.stop();
    await ds?.destroy();
    await removeZkRoot(cfg).catch(() => undefined);
  });

  it('places a gang queued during the failover within seconds, not after the 300 s idle filter', async () => {
    const a = await startDispatcher(cfg, { logger: testLogger('dispatcher-a'), identity: 'leader-a' });
    dispatchers.push(a);
    await eventually('leader A to lead and subscribe', () => (a.leader()?.isSubscribed ? true : undefined));
    // A one-agent gang: A revives, gets both agents' offers, launches on one and declines the other
    // as idle (nothing else waits) with the 300 s filter.
    const busy = await seedJob(ds, { ranks: 1, cpusPerRank: 2, argv: shellApp('sleep 90') });
    await jobReaches(ds, busy.jobId, 'ACTIVE');
    await new Promise((r) => setTimeout(r, 1000));
    await a.stop();

    // While nobody leads, a gang arrives that only the idle (filtered) agent can take.
    const waiting = await seedJob(ds, { ranks: 1, cpusPerRank: 2, argv: shellApp('sleep 1') });
    const b = await startDispatcher(cfg, { logger: testLogger('dispatcher-b'), identity: 'leader-b' });
    dispatchers.push(b);
    await eventually('leader B to lead and subscribe', () => (b.leader()?.isSubscribed ? true : undefined));
    const subscribedAt = Date.now();
    try {
      await jobReaches(ds, waiting.jobId, 'ACTIVE', 15_000);
    } catch (e) {
      const j = await jobView(ds, waiting.jobId);
      assert.fail(`the gang still waits ${Math.round((Date.now() - subscribedAt) / 1000)} s after leader B subscribed (${j.state}: ${j.wait_reason}): ${(e as Error).message}`);
    }
    const j = await jobView(ds, waiting.jobId);
    assert.ok(j.launched_at!.getTime() - subscribedAt < 15_000);
    await jobReaches(ds, waiting.jobId, 'COMPLETE');
  });
});
