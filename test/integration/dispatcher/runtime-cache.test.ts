import assert from 'node:assert/strict';
import { dispatcherSuite, jobReaches, seedJob, tasksOf } from './support';

/**
 * Done when (issue 19): a second job on the same agent uses the cached runtime, asserted from the
 * agent's fetcher counters. The dispatcher serves its own build (dist/runtime) on a free port; the
 * one agent has no node, so each job could only run from the fetched msched-task.
 */
describe('dispatcher: a second job on the same agent takes the runtime from the agent\'s fetcher cache', function () {
  this.timeout(120_000);
  const suite = dispatcherSuite('drc', { agents: 1, cpus: 2 });

  it('the first job downloads it (a miss), the second is a hit, and nothing bypasses the cache', async () => {
    const agent = () => suite.cluster.agents[0].fetcher;
    assert.deepEqual([agent().hits, agent().misses], [0, 0]);

    const first = await seedJob(suite.ds, { ranks: 1, argv: ['/bin/true'] });
    await jobReaches(suite.ds, first.jobId, 'COMPLETE');
    assert.deepEqual({ hits: agent().hits, misses: agent().misses, bypassed: agent().bypassed, failures: agent().failures }, { hits: 0, misses: 1, bypassed: 0, failures: 0 });
    const cached = agent().cachedBytes;
    assert.ok(cached > 10_000_000, `the runtime is in the cache (${cached} bytes)`);

    const second = await seedJob(suite.ds, { ranks: 1, argv: ['/bin/true'] });
    await jobReaches(suite.ds, second.jobId, 'COMPLETE');
    const [a, b] = [(await tasksOf(suite.ds, first.jobId))[0], (await tasksOf(suite.ds, second.jobId))[0]];
    assert.equal(a.hostname, b.hostname, 'both jobs ran on the one agent');
    assert.deepEqual({ hits: agent().hits, misses: agent().misses, bypassed: agent().bypassed, failures: agent().failures }, { hits: 1, misses: 1, bypassed: 0, failures: 0 });
    assert.equal(agent().cachedBytes, cached, 'one entry: the URI did not change');
  });
});
