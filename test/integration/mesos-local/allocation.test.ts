import assert from 'node:assert/strict';
import type { LocalCluster } from '@msched/mesos-local';
import { RawScheduler } from '../../helpers/mesos-raw';
import { startTestCluster } from './fixture';

/**
 * When the local master allocates. Mesos' allocator runs a cycle every allocation interval and also
 * at once when a framework revives: a dispatcher that suppressed while idle gets offers for its new
 * work right away, not up to an interval later (bench:pipeline showed that wait as most of
 * launch → RUNNING).
 */
describe('local master: allocation on REVIVE', function () {
  this.timeout(60_000);
  let cluster: LocalCluster | undefined;
  let s: RawScheduler | undefined;

  afterEach(async () => {
    s?.close();
    await cluster?.stop();
  });

  it('REVIVE brings offers at once, not at the next allocation interval', async () => {
    // An interval far longer than the test: only an allocation triggered by REVIVE can offer anything.
    cluster = await startTestCluster({ timing: { allocationIntervalMs: 600_000, heartbeatIntervalSeconds: 1 } });
    s = await RawScheduler.subscribe(cluster.masterUrl, { role: 'bench' });
    await assert.rejects(s.stream.nextOfType('OFFERS', 1000), 'no allocation has run yet');
    assert.equal((await s.call('REVIVE', { roles: ['bench'] })).status, 202);
    const e = await s.stream.nextOfType('OFFERS', 15_000);
    assert.ok(e.offers.offers.length > 0);
  });
});
