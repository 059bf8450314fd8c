import assert from 'node:assert/strict';
import {
  dispatcherSuite, eventually, frameworkConnected, historyOf, jobReaches, jobsOfProcess, masterTasks, noProcessLeft, seedJob, shellApp, tasksOf,
} from './support';

/** Done when: failing over the master mid-run, the job finishes with correct status and no duplicate tasks. */
describe('dispatcher: the Mesos master fails over mid-run', function () {
  this.timeout(120_000);
  const suite = dispatcherSuite('dmaster', { agents: 2, cpus: 2, masters: 2 });

  it('re-subscribes to the new master as the same framework, reconciles, and the gang completes once', async () => {
    const leader = suite.dispatcher.leader()!;
    const frameworkId = leader.currentFrameworkId!;
    const job = await seedJob(suite.ds, { ranks: 4, mpi: 'openmpi', argv: shellApp('sleep 5; echo "rank $MSCHED_RANK done"') });
    await jobReaches(suite.ds, job.jobId, 'ACTIVE');
    const oldMaster = suite.cluster.masterUrl;

    await suite.cluster.failoverMaster();
    assert.notEqual(suite.cluster.masterUrl, oldMaster);
    await eventually('the dispatcher to subscribe to the new master', async () => (leader.isSubscribed && await frameworkConnected(suite.cluster.masterUrl, frameworkId) ? true : undefined));
    assert.equal(leader.currentFrameworkId, frameworkId, 'the same FrameworkID: Mesos kept our tasks');
    await eventually('every task to be reconciled with the new master', () => (leader.unreconciledTasks === 0 ? true : undefined));

    const done = await jobReaches(suite.ds, job.jobId, 'COMPLETE');
    assert.equal(done.exit_code, 0);
    assert.deepEqual((await jobsOfProcess(suite.ds, job.processId)).map((j) => [j.attempt, j.state]), [[1, 'COMPLETE']], 'no retry was needed');
    const tasks = await tasksOf(suite.ds, job.jobId);
    assert.equal(tasks.length, 2);
    for (const t of tasks) assert.deepEqual(await historyOf(suite.ds, 'task', t.id), ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    assert.deepEqual(await historyOf(suite.ds, 'job', job.jobId), ['QUEUED', 'ACTIVE', 'COMPLETE']);

    // No duplicate tasks: the new master knows exactly the gang's two tasks, both finished.
    const m = await eventually('the new master to hold our two finished tasks', async () => {
      const seen = await masterTasks(suite.cluster.masterUrl, frameworkId);
      return seen.completed.length === 2 && seen.live.length === 0 ? seen : undefined;
    });
    assert.deepEqual(m.completed.map((t) => t.id).sort(), tasks.map((t) => t.id).sort());
    const [{ n }] = await suite.ds.query('SELECT count(*)::int AS n FROM framework');
    assert.equal(n, 1);
    await noProcessLeft(job.jobId);
  });
});
