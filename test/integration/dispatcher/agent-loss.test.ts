import assert from 'node:assert/strict';
import type { JobEnded } from '@msched/model';
import {
  dispatcherSuite, eventually, historyOf, jobReaches, jobsOfProcess, noProcessLeft, outboxOf, seedJob, shellApp, tasksOf,
} from './support';

/** Done when: killing an agent mid-run fails that attempt and a new whole-gang attempt starts elsewhere. */
describe('dispatcher: a lost agent fails the attempt, a new whole gang starts elsewhere', function () {
  this.timeout(120_000);
  const suite = dispatcherSuite('dagent', { agents: 3, cpus: 2 });

  it('retries the gang as attempt 2 on the agents left, which completes', async () => {
    // Attempt 1 runs until it is killed; any later attempt finishes at once (MSCHED_ATTEMPT reaches every rank).
    const job = await seedJob(suite.ds, { ranks: 4, mpi: 'openmpi', argv: shellApp('if [ "$MSCHED_ATTEMPT" = 1 ]; then sleep 120; fi; echo "rank $MSCHED_RANK attempt $MSCHED_ATTEMPT on $MSCHED_AGENT_HOSTNAME"') });
    await jobReaches(suite.ds, job.jobId, 'ACTIVE');
    const first = await tasksOf(suite.ds, job.jobId);
    const victim = first[1];
    await suite.cluster.killAgent(victim.hostname);

    const failed = await jobReaches(suite.ds, job.jobId, 'FAILED');
    assert.equal(failed.failure_kind, 'infrastructure');
    assert.match(failed.reason!, new RegExp(`TASK_UNREACHABLE|agent ${victim.agent_id} was lost`));
    assert.equal(failed.failed_rank, victim.ranks[0]);

    const jobs = await eventually('attempt 2', async () => {
      const all = await jobsOfProcess(suite.ds, job.processId);
      return all.length === 2 ? all : undefined;
    });
    const second = jobs[1];
    assert.equal(second.attempt, 2);
    assert.equal(second.id, `${job.jobId}-a2`);
    const done = await jobReaches(suite.ds, second.id, 'COMPLETE');
    assert.equal(done.exit_code, 0);

    const tasks2 = await tasksOf(suite.ds, second.id);
    assert.deepEqual(tasks2.flatMap((t) => t.ranks), [0, 1, 2, 3], 'the whole gang was placed again');
    assert.ok(tasks2.every((t) => t.agent_id !== victim.agent_id), 'nothing placed on the lost agent');
    const stdout = await (await fetch(`${suite.cluster.masterUrl}/files/read?path=${encodeURIComponent(done.std_out!)}&offset=0`)).json() as { data: string };
    assert.equal(stdout.data.split('\n').filter((l) => / attempt 2 on /.test(l)).length, 4, stdout.data);

    // Attempt 1: ended as a whole, its surviving task killed; its end report says it was retried.
    const t1 = await tasksOf(suite.ds, job.jobId);
    assert.equal(t1.find((t) => t.id === victim.id)!.state, 'TASK_UNREACHABLE');
    assert.ok(['TASK_KILLED', 'TASK_FAILED'].includes(t1.find((t) => t.id !== victim.id)!.state));
    const ended = await outboxOf<JobEnded>(suite.ds, job.experimentId, 'jobEnded');
    assert.deepEqual(ended.map((e) => [e.jobId, e.state, e.retried]), [[job.jobId, 'FAILED', true], [second.id, 'COMPLETE', false]]);

    // Airavata sees a new JobModel for attempt 2, and the process requeued in between.
    // While attempt 2 waits for the cpus attempt 1's surviving task still holds (its launcher waits
    // for the dead member's presence to settle, or for its kill), the dispatcher may record an
    // expected start: a QUEUED row with a new reason. States, not reasons, are compared here.
    const states = (await historyOf(suite.ds, 'job', second.id)).filter((s, i, all) => s !== all[i - 1]);
    assert.deepEqual(states, ['SUBMITTED', 'QUEUED', 'ACTIVE', 'COMPLETE']);
    assert.deepEqual(await historyOf(suite.ds, 'process', job.processId), ['QUEUED', 'MONITORING', 'REQUEUED', 'MONITORING']);

    await noProcessLeft(job.jobId);
    await noProcessLeft(second.id);
  });
});
