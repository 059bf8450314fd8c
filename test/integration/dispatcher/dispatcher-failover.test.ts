import assert from 'node:assert/strict';
import { replicaSuite } from './replicas';
import { eventually, frameworkConnected, historyOf, jobReaches, jobsOfProcess, masterTasks, noProcessLeft, seedJob, shellApp, tasksOf } from './support';

/**
 * Done when: killing the leading dispatcher mid-run, a standby takes over, re-subscribes, reconciles,
 * and the job finishes with correct status and no duplicate tasks. The replicas are real processes
 * (the CLI), the leader dies by SIGKILL: no clean-up of any kind runs.
 */
describe('dispatcher: the leading replica dies mid-run', function () {
  this.timeout(120_000);
  const s = replicaSuite('dfailover', { agents: 2, cpus: 2 });

  it('a standby takes over, re-subscribes as the same framework, reconciles, and the job completes once', async () => {
    const first = s.replicas.start();
    await eventually('the first replica to lead', async () => ((await s.replicas.leaderPid(s.zk)) === first.child.pid ? true : undefined));
    const standby = s.replicas.start();
    await eventually('the standby to join the election', async () => /joined election/.test(standby.log) ? true : undefined);
    const frameworkId = await eventually('the framework to be registered', async () => (await s.ds.query('SELECT framework_id FROM framework'))[0]?.framework_id as string | undefined);

    const job = await seedJob(s.ds, { ranks: 4, mpi: 'openmpi', argv: shellApp('sleep 6; echo "rank $MSCHED_RANK done"') });
    await jobReaches(s.ds, job.jobId, 'ACTIVE');

    first.child.kill('SIGKILL');
    await first.exited;
    await eventually('the standby to lead', async () => ((await s.replicas.leaderPid(s.zk)) === standby.child.pid ? true : undefined));
    await eventually('the standby to subscribe', async () => (await frameworkConnected(s.cluster.masterUrl, frameworkId) ? true : undefined));
    assert.match(standby.log, new RegExp(`leading: re-subscribing as framework ${frameworkId}`));
    await eventually('the standby to reconcile both tasks with the master', () => (/reconciling 2 task\(s\) not known to have ended/.test(standby.log)
      && /reconciliation complete: the master answered for every task/.test(standby.log) ? true : undefined));

    const done = await jobReaches(s.ds, job.jobId, 'COMPLETE');
    assert.equal(done.exit_code, 0);
    assert.deepEqual((await jobsOfProcess(s.ds, job.processId)).map((j) => [j.attempt, j.state]), [[1, 'COMPLETE']]);
    const tasks = await tasksOf(s.ds, job.jobId);
    assert.equal(tasks.length, 2);
    for (const t of tasks) assert.deepEqual(await historyOf(s.ds, 'task', t.id), ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    assert.deepEqual(await historyOf(s.ds, 'job', job.jobId), ['QUEUED', 'ACTIVE', 'COMPLETE']);

    // One framework, two tasks, both finished and acknowledged: nothing was launched twice.
    const m = await eventually('the master to hold our two finished tasks', async () => {
      const seen = await masterTasks(s.cluster.masterUrl, frameworkId);
      return seen.completed.length === 2 && seen.live.length === 0 ? seen : undefined;
    });
    assert.deepEqual(m.completed.map((t) => t.id).sort(), tasks.map((t) => t.id).sort());
    const state = (await (await fetch(`${s.cluster.masterUrl}/master/state`)).json()) as { frameworks: Array<{ id: string; name: string }> };
    assert.deepEqual(state.frameworks.map((f) => f.id), [frameworkId]);
    await noProcessLeft(job.jobId);

    // The survivor stops cleanly on SIGTERM.
    standby.child.kill('SIGTERM');
    assert.equal(await standby.exited, 0);
  });
});
