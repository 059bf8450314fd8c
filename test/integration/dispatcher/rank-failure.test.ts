import assert from 'node:assert/strict';
import type { JobEnded } from '@msched/model';
import { compileFixture, fixtureDir } from '../../helpers/mpi-fixtures';
import {
  dispatcherSuite, eventually, historyOf, jobReaches, jobsOfProcess, masterTasks, noProcessLeft, outboxOf, processesOfJob, seedJob, tasksOf,
} from './support';

/** Done when: one rank exiting non-zero fails the job and leaves no other rank running. */
describe('dispatcher: one rank fails, the whole gang fails', function () {
  this.timeout(120_000);
  let failRank: string;
  const suite = dispatcherSuite('drank', { agents: 2, cpus: 2 }, async () => {
    failRank = await compileFixture(fixtureDir(), 'fail_rank.c', 'mpicc.openmpi');
  });

  it('rank 2 exiting with code 3 fails the job with that rank and code, is not retried, and leaves no rank running', async () => {
    const job = await seedJob(suite.ds, { ranks: 4, mpi: 'openmpi', argv: [failRank] });
    await jobReaches(suite.ds, job.jobId, 'ACTIVE');
    assert.ok(processesOfJob(job.jobId).length > 0, 'positive control: the scan sees the running gang');

    const failed = await jobReaches(suite.ds, job.jobId, 'FAILED');
    assert.equal(failed.failed_rank, 2);
    assert.equal(failed.exit_code, 3);
    assert.equal(failed.failure_kind, 'application');
    assert.match(failed.reason!, /^rank 2 on agent2 exited with code 3 \[rank_failed, exit code 3\]; /);

    // An application failure is not retried: one attempt only.
    assert.deepEqual((await jobsOfProcess(suite.ds, job.processId)).map((j) => [j.attempt, j.state]), [[1, 'FAILED']]);
    const tasks = await tasksOf(suite.ds, job.jobId);
    for (const t of tasks) assert.ok(['TASK_FAILED', 'TASK_KILLED'].includes(t.state), `${t.id} ended (${t.state})`);
    assert.deepEqual(await historyOf(suite.ds, 'job', job.jobId), ['QUEUED', 'ACTIVE', 'FAILED']);

    const ended = await outboxOf<JobEnded>(suite.ds, job.experimentId, 'jobEnded');
    assert.deepEqual(ended.map((e) => [e.state, e.failedRank, e.exitCode, e.retried]), [['FAILED', 2, 3, false]]);
    const events = await outboxOf<{ entity: string; state: string; failedRank?: number }>(suite.ds, job.experimentId, 'events');
    assert.ok(events.some((e) => e.entity === 'job' && e.state === 'FAILED' && e.failedRank === 2), 'Airavata hears of the failed rank');

    await noProcessLeft(job.jobId);
    const frameworkId = suite.dispatcher.leader()!.currentFrameworkId!;
    await eventually('the master to hold no live task of ours', async () => ((await masterTasks(suite.cluster.masterUrl, frameworkId)).live.length === 0 ? true : undefined));
  });
});
