import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import type { LocalCluster } from '@msched/mesos-local';
import { startDispatcher, type DispatcherHandle } from '@msched/dispatcher';
import type { JobEnded } from '@msched/model';
import { requireStack } from '../../helpers/stack';
import { eventually, jobReaches, outboxOf, prepareSuite, removeZkRoot, seedJob, shellApp, startCluster, suiteConfig, tasksOf } from './support';

/**
 * Gangs running side by side (a workflow's parallel branches): a sandbox lookup made for one task
 * also lists the others' directories, but records only its own gang's. Regression: the others were
 * then taken as recorded and never looked up again, so their end reports had no sandbox and their
 * outputs were not collected.
 */
describe('dispatcher: sandboxes of gangs running side by side', function () {
  this.timeout(120_000);
  const cfg = suiteConfig('dparsand');
  let ds: DataSource;
  let cluster: LocalCluster;
  let dispatcher: DispatcherHandle;

  before(async () => {
    await requireStack('postgres', 'kafka', 'zookeeper');
    ds = await prepareSuite(cfg);
    cluster = await startCluster(cfg, { agents: 2, cpus: 4 });
    dispatcher = await startDispatcher(cfg);
    await eventually('the dispatcher to lead and subscribe', () => (dispatcher.leader()?.isSubscribed ? true : undefined));
  });

  after(async () => {
    await dispatcher?.stop();
    await cluster?.stop();
    await ds?.destroy();
    await removeZkRoot(cfg).catch(() => undefined);
  });

  it('records every task\'s sandbox and reports it when its job ends', async () => {
    for (let round = 0; round < 2; round++) {
      const jobs = await Promise.all([0, 1, 2, 3, 4, 5].map(() => seedJob(ds, { ranks: 1, memMbPerRank: 32, argv: shellApp('sleep 1; echo done > out.txt') })));
      for (const j of jobs) await jobReaches(ds, j.jobId, 'COMPLETE');
      for (const j of jobs) {
        const [task] = await tasksOf(ds, j.jobId);
        assert.ok(task.sandbox_path, `task ${task.id} has no recorded sandbox`);
        const [ended] = await outboxOf<JobEnded>(ds, j.experimentId, 'jobEnded');
        assert.equal(ended.tasks[0].sandboxPath, task.sandbox_path, `the end report of ${j.jobId} names its sandbox`);
      }
    }
  });
});
