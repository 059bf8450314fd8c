import assert from 'node:assert/strict';
import type { JobEnded } from '@msched/model';
import { dispatcherSuite, jobReaches, outboxOf, seedJob, shellApp, tasksOf } from './support';

/**
 * Gangs running side by side (a workflow's parallel branches): a sandbox lookup made for one task
 * also lists the others' directories, but records only its own gang's. Regression: the others were
 * then taken as recorded and never looked up again, so their end reports had no sandbox and their
 * outputs were not collected.
 */
describe('dispatcher: sandboxes of gangs running side by side', function () {
  this.timeout(120_000);
  const suite = dispatcherSuite('dparsand', { agents: 2, cpus: 4 });

  it('records every task\'s sandbox and reports it when its job ends', async () => {
    for (let round = 0; round < 2; round++) {
      const jobs = await Promise.all([0, 1, 2, 3, 4, 5].map(() => seedJob(suite.ds, { ranks: 1, memMbPerRank: 32, argv: shellApp('sleep 1; echo done > out.txt') })));
      for (const j of jobs) await jobReaches(suite.ds, j.jobId, 'COMPLETE');
      for (const j of jobs) {
        const [task] = await tasksOf(suite.ds, j.jobId);
        assert.ok(task.sandbox_path, `task ${task.id} has no recorded sandbox`);
        const [ended] = await outboxOf<JobEnded>(suite.ds, j.experimentId, 'jobEnded');
        assert.equal(ended.tasks[0].sandboxPath, task.sandbox_path, `the end report of ${j.jobId} names its sandbox`);
      }
    }
  });
});
