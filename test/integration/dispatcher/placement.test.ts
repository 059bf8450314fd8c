import assert from 'node:assert/strict';
import type { JobEnded } from '@msched/model';
import { compileFixture, fixtureDir } from '../../helpers/mpi-fixtures';
import {
  dispatcherSuite, eventually, historyOf, jobReaches, jobView, masterTasks, metricValue, noProcessLeft, outboxOf, seedJob, shellApp, tasksOf,
} from './support';

/**
 * Done when: a 4-rank gang over 2 agents starts all at once; a gang larger than the free capacity
 * waits without holding offers forever and starts when capacity frees; a gang larger than the
 * whole cluster fails at once with a reason. Local cluster: 2 agents of 2 cpus.
 */
describe('dispatcher: gang placement against the local cluster', function () {
  this.timeout(120_000);
  let hello: string;
  const suite = dispatcherSuite('dplace', { agents: 2, cpus: 2 }, async () => {
    hello = await compileFixture(fixtureDir(), 'hello.c', 'mpicc.openmpi');
  });

  it('starts a 4-rank gang over 2 agents all at once and runs it as one MPI job to COMPLETE', async () => {
    const job = await seedJob(suite.ds, { ranks: 4, mpi: 'openmpi', argv: [hello] });
    const done = await jobReaches(suite.ds, job.jobId, 'COMPLETE');

    const tasks = await tasksOf(suite.ds, job.jobId);
    assert.deepEqual(tasks.map((t) => t.ranks), [[0, 1], [2, 3]], 'two ranks on each agent, one task per agent');
    assert.notEqual(tasks[0].agent_id, tasks[1].agent_id);
    assert.deepEqual(tasks.map((t) => [t.launcher, t.state]), [[true, 'TASK_FINISHED'], [false, 'TASK_FINISHED']]);

    // All at once: both tasks were written before any ran, and ACTIVE came only once both ran.
    const rows: Array<{ id: string; entity_type: string; entity_id: string; state: string }> = await suite.ds.query(
      `SELECT id, entity_type, entity_id, state FROM status_history WHERE experiment_id = $1 AND entity_type IN ('job', 'task') ORDER BY id`, [job.experimentId]);
    const at = (type: string, id: string, state: string) => rows.findIndex((r) => r.entity_type === type && r.entity_id === id && r.state === state);
    const staged = tasks.map((t) => at('task', t.id, 'TASK_STAGING'));
    const running = tasks.map((t) => at('task', t.id, 'TASK_RUNNING'));
    const active = at('job', job.jobId, 'ACTIVE');
    assert.ok(staged.every((i) => i >= 0 && i < Math.min(...running)), 'every task is recorded before any of them runs');
    assert.ok(active > Math.max(...running), 'the job is ACTIVE only after its last task runs');
    for (const t of tasks) assert.deepEqual(await historyOf(suite.ds, 'task', t.id), ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    assert.deepEqual(await historyOf(suite.ds, 'job', job.jobId), ['QUEUED', 'ACTIVE', 'COMPLETE']);
    assert.deepEqual(await historyOf(suite.ds, 'process', job.processId), ['QUEUED', 'MONITORING']);

    // The job's output is the launcher's stdout: every rank's line, all four having talked to each other.
    const launcher = tasks[0];
    assert.ok(launcher.sandbox_path, 'the launcher\'s sandbox is recorded');
    assert.equal(done.std_out, `${launcher.sandbox_path}/stdout`);
    assert.equal(done.exit_code, 0);
    const res = await fetch(`${suite.cluster.masterUrl}/files/read?path=${encodeURIComponent(done.std_out!)}&offset=0`);
    const stdout = ((await res.json()) as { data: string }).data;
    assert.equal(stdout.split('\n').filter((l) => / size=4 .*sum=6 /.test(l)).length, 4, stdout);

    const ended = await outboxOf<JobEnded>(suite.ds, job.experimentId, 'jobEnded');
    assert.equal(ended.length, 1);
    assert.equal(ended[0].state, 'COMPLETE');
    assert.equal(ended[0].retried, false);
    assert.deepEqual(ended[0].tasks.map((t) => [t.taskId, t.launcher, t.sandboxPath]), tasks.map((t) => [t.id, t.launcher, t.sandbox_path]));
    await noProcessLeft(job.jobId);
  });

  it('keeps a gang larger than the free capacity waiting, gives the offers back meanwhile, and starts it when capacity frees', async () => {
    // 3 of the 4 cpus taken for a while: 1 cpu stays free on one agent, too little for the next gang.
    const big = await seedJob(suite.ds, { ranks: 3, mpi: 'openmpi', argv: shellApp('sleep 6') });
    await jobReaches(suite.ds, big.jobId, 'ACTIVE');
    const waiting = await seedJob(suite.ds, { ranks: 2, mpi: 'openmpi', argv: shellApp('echo rank $MSCHED_RANK done') });
    await jobReaches(suite.ds, waiting.jobId, 'QUEUED');

    // The free cpu is offered to us again and again under new offer ids: each offer was given back
    // (declined) while the gang waited, none was held for good.
    const frameworkId = suite.dispatcher.leader()!.currentFrameworkId!;
    const seen = new Set<string>();
    await eventually('the free cpu to be offered, given back and offered again', async () => {
      const state = (await (await fetch(`${suite.cluster.masterUrl}/master/state`)).json()) as { frameworks: Array<{ id: string; offers: Array<{ id: string }> }> };
      for (const o of state.frameworks.find((f) => f.id === frameworkId)?.offers ?? []) seen.add(o.id);
      return seen.size >= 2 ? true : undefined;
    }, 20_000);
    const meanwhile = await jobView(suite.ds, waiting.jobId);
    assert.equal(meanwhile.state, 'QUEUED', 'the gang still waits: it was never partly started');
    assert.equal(meanwhile.launched_at, null);
    assert.deepEqual(await tasksOf(suite.ds, waiting.jobId), []);
    const why = await eventually('a saved reason why the gang waits', async () => (await jobView(suite.ds, waiting.jobId)).wait_reason ?? undefined);
    assert.match(why, /in the queue of role mpi/);
    assert.equal((await jobView(suite.ds, big.jobId)).state, 'ACTIVE', 'capacity has not freed yet');

    await jobReaches(suite.ds, big.jobId, 'COMPLETE');
    const done = await jobReaches(suite.ds, waiting.jobId, 'COMPLETE');
    const [{ freed }] = await suite.ds.query(`SELECT min(h.at) AS freed FROM status_history h JOIN tasks t ON t.id = h.entity_id
      WHERE h.entity_type = 'task' AND t.job_id = $1 AND h.state IN ('TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED')`, [big.jobId]);
    assert.ok(done.launched_at! >= freed, 'it started only once a task of the first gang had ended and given its cpus back');
    assert.equal((await jobView(suite.ds, waiting.jobId)).wait_reason, null);
    await noProcessLeft(big.jobId);
    await noProcessLeft(waiting.jobId);
    // Acknowledged after the write, so the master lets go of the tasks just after the database has them.
    await eventually('the master to hold no live task of ours', async () => ((await masterTasks(suite.cluster.masterUrl, frameworkId)).live.length === 0 ? true : undefined));
  });

  it('serves health, readiness (subscribed to Mesos) and the leader gauge', async () => {
    const base = `http://127.0.0.1:${suite.dispatcher.healthPort}`;
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(((await ready.json()) as { checks: Record<string, string> }).checks, { startup: 'ok', database: 'ok', zookeeper: 'ok', mesos: 'ok' });
    assert.equal(await metricValue(suite.dispatcher.healthPort, 'msched_leader', 'service="dispatcher"'), 1);
    assert.ok(await metricValue(suite.dispatcher.healthPort, 'msched_task_updates_total', 'state="TASK_RUNNING"') >= 2);
  });

  it('fails a gang larger than the whole cluster at once, with the reason, while the cluster is busy', async () => {
    const busy = await seedJob(suite.ds, { ranks: 4, mpi: 'openmpi', argv: shellApp('sleep 5') });
    await jobReaches(suite.ds, busy.jobId, 'ACTIVE');
    const huge = await seedJob(suite.ds, { ranks: 10, mpi: 'openmpi', argv: [hello] });
    const failed = await jobReaches(suite.ds, huge.jobId, 'FAILED');
    assert.equal((await jobView(suite.ds, busy.jobId)).state, 'ACTIVE', 'it failed without waiting for capacity to free');
    assert.match(failed.reason!, /can never run on this cluster: 10 ranks need 10 cpus .* 4 cpus .* on 2 agents/);
    assert.equal(failed.failure_kind, 'unplaceable');
    assert.equal(failed.launched_at, null);
    assert.deepEqual(await tasksOf(suite.ds, huge.jobId), []);
    const ended = await outboxOf<JobEnded>(suite.ds, huge.experimentId, 'jobEnded');
    assert.deepEqual(ended.map((e) => [e.state, e.tasks.length, e.retried]), [['FAILED', 0, false]]);
    await jobReaches(suite.ds, busy.jobId, 'COMPLETE');
  });
});
