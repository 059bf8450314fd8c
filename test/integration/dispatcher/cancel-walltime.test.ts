import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import type { LocalCluster } from '@msched/mesos-local';
import { startDispatcher, type DispatcherHandle } from '@msched/dispatcher';
import type { JobEnded } from '@msched/model';
import { requireStack } from '../../helpers/stack';
import {
  eventually, historyOf, jobReaches, jobsOfProcess, jobView, noProcessLeft, outboxOf, prepareSuite, processesOfJob, removeZkRoot,
  requestCancel, seedJob, shellApp, startCluster, suiteConfig, tasksOf,
} from './support';

/** Issue 5, item 7: a gang still running at its wall time is killed and FAILED; a cancel kills it and ends CANCELED. */
describe('dispatcher: wall time and cancel', function () {
  this.timeout(120_000);
  const cfg = suiteConfig('dcancel');
  let ds: DataSource;
  let cluster: LocalCluster;
  let dispatcher: DispatcherHandle;

  before(async () => {
    await requireStack('postgres', 'kafka', 'zookeeper');
    ds = await prepareSuite(cfg);
    cluster = await startCluster(cfg, { agents: 2, cpus: 2 });
    dispatcher = await startDispatcher(cfg);
    await eventually('the dispatcher to lead and subscribe', () => (dispatcher.leader()?.isSubscribed ? true : undefined));
  });

  after(async () => {
    await dispatcher?.stop();
    await cluster?.stop();
    await ds?.destroy();
    await removeZkRoot(cfg).catch(() => undefined);
  });

  it('cancels a running gang: every task killed, the job CANCELED, no process left', async () => {
    const job = await seedJob(ds, { ranks: 4, mpi: 'openmpi', argv: shellApp('sleep 120') });
    await jobReaches(ds, job.jobId, 'ACTIVE');
    assert.ok(processesOfJob(job.jobId).length > 0, 'positive control: the scan sees the running gang');
    await requestCancel(ds, job, 'terminated by alice');

    const canceled = await jobReaches(ds, job.jobId, 'CANCELED');
    assert.equal(canceled.reason, 'terminated by alice');
    assert.deepEqual((await tasksOf(ds, job.jobId)).map((t) => t.state), ['TASK_KILLED', 'TASK_KILLED']);
    assert.deepEqual(await historyOf(ds, 'job', job.jobId), ['QUEUED', 'ACTIVE', 'CANCELED']);
    assert.deepEqual((await jobsOfProcess(ds, job.processId)).length, 1, 'a canceled gang is not retried');
    const ended = await outboxOf<JobEnded>(ds, job.experimentId, 'jobEnded');
    assert.deepEqual(ended.map((e) => [e.state, e.retried, e.tasks.length]), [['CANCELED', false, 2]]);
    await noProcessLeft(job.jobId);
  });

  it('cancels a waiting gang at once, without ever launching it', async () => {
    const busy = await seedJob(ds, { ranks: 4, mpi: 'openmpi', argv: shellApp('sleep 120') });
    await jobReaches(ds, busy.jobId, 'ACTIVE');
    const waiting = await seedJob(ds, { ranks: 2, mpi: 'openmpi', argv: shellApp('true') });
    await jobReaches(ds, waiting.jobId, 'QUEUED');
    await requestCancel(ds, waiting);
    const canceled = await jobReaches(ds, waiting.jobId, 'CANCELED');
    assert.equal(canceled.launched_at, null);
    assert.deepEqual(await tasksOf(ds, waiting.jobId), []);
    assert.equal((await jobView(ds, busy.jobId)).state, 'ACTIVE');
    await requestCancel(ds, busy);
    await jobReaches(ds, busy.jobId, 'CANCELED');
    await noProcessLeft(busy.jobId);
  });

  it('kills a gang still running at its wall time and fails it with that reason', async () => {
    const job = await seedJob(ds, { ranks: 2, mpi: 'openmpi', wallTimeSeconds: 3, argv: shellApp('sleep 120') });
    await jobReaches(ds, job.jobId, 'ACTIVE');
    const failed = await jobReaches(ds, job.jobId, 'FAILED');
    assert.equal(failed.failure_kind, 'wall-time');
    assert.match(failed.reason!, /wall time/);
    assert.equal((await jobsOfProcess(ds, job.processId)).length, 1, 'a wall-time failure is not retried');
    await noProcessLeft(job.jobId);
  });
});
