import assert from 'node:assert/strict';
import { dispatcherSuite, eventually, historyOf, jobReaches, masterTasks, metricValue, seedJob, shellApp, tasksOf } from './support';

/** Done when: every task update reaches the DB once, in order, and is acknowledged after the write. */
describe('dispatcher: task updates are written once, in order, and acknowledged only after the write', function () {
  this.timeout(120_000);
  const suite = dispatcherSuite('dstatus', { agents: 2, cpus: 2 });
  afterEach(() => {
    suite.cluster.duplicateStatusUpdates(false);
    suite.cluster.delayStatusUpdates(0);
  });

  it('records each state of each task once and in order although every update arrives twice and late', async () => {
    suite.cluster.duplicateStatusUpdates(true);
    suite.cluster.delayStatusUpdates(150);
    const job = await seedJob(suite.ds, { ranks: 4, mpi: 'openmpi', argv: shellApp('sleep 1') });
    await jobReaches(suite.ds, job.jobId, 'COMPLETE');
    const tasks = await tasksOf(suite.ds, job.jobId);
    assert.equal(tasks.length, 2);
    for (const t of tasks) assert.deepEqual(await historyOf(suite.ds, 'task', t.id), ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    assert.deepEqual(await historyOf(suite.ds, 'job', job.jobId), ['QUEUED', 'ACTIVE', 'COMPLETE']);
    // Every terminal update was acknowledged: the master has let go of both tasks.
    const frameworkId = suite.dispatcher.leader()!.currentFrameworkId!;
    await eventually('both tasks to be completed at the master', async () => {
      const m = await masterTasks(suite.cluster.masterUrl, frameworkId);
      return tasks.every((t) => m.completed.some((c) => c.id === t.id)) && m.live.length === 0 ? true : undefined;
    });
  });

  it('does not acknowledge an update it could not write, and acknowledges it once written', async () => {
    // The database refuses to record a serial job's finish: the write fails, so no ACK may go out.
    await suite.ds.query(`CREATE OR REPLACE FUNCTION refuse_finish() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.state = 'TASK_FINISHED' THEN RAISE EXCEPTION 'test: refusing TASK_FINISHED of %', NEW.id; END IF; RETURN NEW; END $$`);
    await suite.ds.query('CREATE TRIGGER refuse_finish BEFORE UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION refuse_finish()');
    try {
      const finishedSeen = () => metricValue(suite.dispatcher.healthPort, 'msched_task_updates_total', 'state="TASK_FINISHED"');
      const finishedBefore = await finishedSeen();
      const job = await seedJob(suite.ds, { ranks: 1, mpi: 'none', argv: shellApp('exit 0') });
      const frameworkId = suite.dispatcher.leader()!.currentFrameworkId!;
      const taskId = `${job.jobId}.0`;
      // The task finished on its agent; the master keeps it as a live task because nobody acknowledged it.
      await eventually('the task to finish at the master', async () => {
        const m = await masterTasks(suite.cluster.masterUrl, frameworkId);
        return m.live.some((t) => t.id === taskId && t.state === 'TASK_FINISHED') ? true : undefined;
      });
      // The agent re-sends an unacknowledged update (300 ms doubling to 2 s) and the dispatcher asks the master
      // again about a task it could not record: wait until TASK_FINISHED was handed over three times, each
      // write refused, nothing acknowledged.
      await eventually('three deliveries of the unrecorded update', async () => ((await finishedSeen()) >= finishedBefore + 3 ? true : undefined));
      const m = await masterTasks(suite.cluster.masterUrl, frameworkId);
      assert.ok(m.live.some((t) => t.id === taskId), 'still unacknowledged while the write fails');
      assert.ok(!m.completed.some((t) => t.id === taskId));
      assert.equal((await tasksOf(suite.ds, job.jobId))[0].state, 'TASK_RUNNING', 'nothing recorded');
      assert.ok(!(await historyOf(suite.ds, 'task', taskId)).includes('TASK_FINISHED'));

      await suite.ds.query('DROP TRIGGER refuse_finish ON tasks');
      await jobReaches(suite.ds, job.jobId, 'COMPLETE');
      await eventually('the master to let go of the task (acknowledged)', async () => {
        const after = await masterTasks(suite.cluster.masterUrl, frameworkId);
        return after.completed.some((t) => t.id === taskId) && !after.live.some((t) => t.id === taskId) ? true : undefined;
      });
      assert.deepEqual(await historyOf(suite.ds, 'task', taskId), ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    } finally {
      await suite.ds.query('DROP TRIGGER IF EXISTS refuse_finish ON tasks');
      await suite.ds.query('DROP FUNCTION IF EXISTS refuse_finish()');
    }
  });
});
