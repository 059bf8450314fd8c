import assert from 'node:assert/strict';
import type { JobEnded } from '@msched/model';
import {
  dispatcherSuite, historyOf, jobReaches, jobsOfProcess, jobView, noProcessLeft, outboxOf, processesOfJob, requestCancel, seedJob, shellApp, tasksOf,
} from './support';

/** Issue 5, item 7: a gang still running at its wall time is killed and FAILED; a cancel kills it and ends CANCELED. */
describe('dispatcher: wall time and cancel', function () {
  this.timeout(120_000);
  const suite = dispatcherSuite('dcancel', { agents: 2, cpus: 2 });

  it('cancels a running gang: every task killed, the job CANCELED, no process left', async () => {
    const job = await seedJob(suite.ds, { ranks: 4, mpi: 'openmpi', argv: shellApp('sleep 120') });
    await jobReaches(suite.ds, job.jobId, 'ACTIVE');
    assert.ok(processesOfJob(job.jobId).length > 0, 'positive control: the scan sees the running gang');
    await requestCancel(suite.ds, job, 'terminated by alice');

    const canceled = await jobReaches(suite.ds, job.jobId, 'CANCELED');
    assert.equal(canceled.reason, 'terminated by alice');
    assert.deepEqual((await tasksOf(suite.ds, job.jobId)).map((t) => t.state), ['TASK_KILLED', 'TASK_KILLED']);
    assert.deepEqual(await historyOf(suite.ds, 'job', job.jobId), ['QUEUED', 'ACTIVE', 'CANCELED']);
    assert.deepEqual((await jobsOfProcess(suite.ds, job.processId)).length, 1, 'a canceled gang is not retried');
    const ended = await outboxOf<JobEnded>(suite.ds, job.experimentId, 'jobEnded');
    assert.deepEqual(ended.map((e) => [e.state, e.retried, e.tasks.length]), [['CANCELED', false, 2]]);
    await noProcessLeft(job.jobId);
  });

  it('cancels a waiting gang at once, without ever launching it', async () => {
    const busy = await seedJob(suite.ds, { ranks: 4, mpi: 'openmpi', argv: shellApp('sleep 120') });
    await jobReaches(suite.ds, busy.jobId, 'ACTIVE');
    const waiting = await seedJob(suite.ds, { ranks: 2, mpi: 'openmpi', argv: shellApp('true') });
    await jobReaches(suite.ds, waiting.jobId, 'QUEUED');
    await requestCancel(suite.ds, waiting);
    const canceled = await jobReaches(suite.ds, waiting.jobId, 'CANCELED');
    assert.equal(canceled.launched_at, null);
    assert.deepEqual(await tasksOf(suite.ds, waiting.jobId), []);
    assert.equal((await jobView(suite.ds, busy.jobId)).state, 'ACTIVE');
    await requestCancel(suite.ds, busy);
    await jobReaches(suite.ds, busy.jobId, 'CANCELED');
    await noProcessLeft(busy.jobId);
  });

  it('kills a gang still running at its wall time and fails it with that reason', async () => {
    const job = await seedJob(suite.ds, { ranks: 2, mpi: 'openmpi', wallTimeSeconds: 3, argv: shellApp('sleep 120') });
    await jobReaches(suite.ds, job.jobId, 'ACTIVE');
    const failed = await jobReaches(suite.ds, job.jobId, 'FAILED');
    assert.equal(failed.failure_kind, 'wall-time');
    assert.match(failed.reason!, /wall time/);
    assert.equal((await jobsOfProcess(suite.ds, job.processId)).length, 1, 'a wall-time failure is not retried');
    await noProcessLeft(job.jobId);
  });
});
