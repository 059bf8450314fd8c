import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  appendStatus, claimOutboxBatch, enqueueOutbox, findLaunch, getFrameworkId, insertLaunch, jobDetail, jobsOfExperiment,
  latestStatus, listJobs, lockExperiment, markOutboxFailed, markOutboxSent, markProcessed, NewLaunch, outboxBacklog,
  purgeSentOutbox, saveFrameworkId, setState, statusHistory, violatedConstraint, withTransaction,
} from '@msched/db';
import { makeEnvelope } from '@msched/bus';
import { requireStack } from '../../helpers/stack';
import { ownDatabase } from '../../helpers/own-database';

function launch(over: { experimentId?: string; processId?: string } = {}): NewLaunch {
  const experimentId = over.experimentId ?? `E-${randomUUID()}`;
  const processId = over.processId ?? `P-${randomUUID()}`;
  const jobId = `J-${randomUUID()}`;
  return {
    experiment: { id: experimentId, gatewayId: 'gw', userName: 'alice', projectId: 'proj', name: 'exp', payloadHash: 'h1', model: { experimentId }, state: 'LAUNCHED' },
    process: { id: processId, state: 'CREATED', resourceSchedule: { queueName: 'normal', totalCPUCount: 4 }, applicationInterfaceId: 'app',
      applicationDeploymentId: null, computeResourceId: 'mesos-local', experimentDataDir: '/data/x', model: { processId } },
    job: { id: jobId, taskId: `T-${randomUUID()}`, state: 'SUBMITTED', reason: null },
    statuses: [
      { entityType: 'experiment', entityId: experimentId, experimentId, state: 'LAUNCHED', reason: 'accepted', source: 'test' },
      { entityType: 'process', entityId: processId, experimentId, state: 'CREATED', reason: null, source: 'test' },
      { entityType: 'job', entityId: jobId, experimentId, state: 'SUBMITTED', reason: 'it\'s "quoted"', source: 'test' },
    ],
    outbox: [{ topic: 'launch', key: experimentId, envelope: makeEnvelope('launch.accepted', { experimentId, note: 'a "quote" and a \\ backslash' }) }],
  };
}

async function count(ds: DataSource, table: string, where: string, params: unknown[]): Promise<number> {
  return Number((await ds.query(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, params))[0].n);
}

describe('job database operations (integration)', function () {
  let ds: DataSource;

  before(async () => {
    await requireStack('postgres');
    ds = (await ownDatabase('ops')).ds;
  });
  after(async () => { await ds?.destroy(); });

  beforeEach(async () => {
    // Outbox claims see every unsent row: start each test with none.
    await ds.query('UPDATE outbox SET sent_at = now() WHERE sent_at IS NULL');
  });

  describe('withTransaction', () => {
    it('commits status, state and outbox together, or rolls all of them back', async () => {
      const l = launch();
      assert.equal(await insertLaunch(ds, l), true);
      await assert.rejects(withTransaction(ds, async (tx) => {
        await setState(tx, 'experiment', l.experiment.id, 'CANCELING');
        await appendStatus(tx, { entityType: 'experiment', entityId: l.experiment.id, experimentId: l.experiment.id, state: 'CANCELING', source: 'test' });
        await enqueueOutbox(tx, { topic: 'cancel', key: l.experiment.id, type: 'cancel.requested', payload: {} });
        throw new Error('crash before commit');
      }), /crash before commit/);
      assert.equal((await latestStatus(ds, 'experiment', l.experiment.id))?.state, 'LAUNCHED');
      assert.equal(await count(ds, 'status_history', 'entity_id = $1', [l.experiment.id]), 1);
      assert.equal(await count(ds, 'outbox', 'message_key = $1', [l.experiment.id]), 1);

      const env = await withTransaction(ds, async (tx) => {
        assert.equal(await setState(tx, 'experiment', l.experiment.id, 'CANCELING'), 'LAUNCHED');
        await appendStatus(tx, { entityType: 'experiment', entityId: l.experiment.id, experimentId: l.experiment.id, state: 'CANCELING', reason: 'user', source: 'test' });
        return enqueueOutbox(tx, { topic: 'cancel', key: l.experiment.id, type: 'cancel.requested', payload: { why: 'user' } });
      });
      const st = await latestStatus(ds, 'experiment', l.experiment.id);
      assert.equal(st?.state, 'CANCELING');
      assert.equal(st?.reason, 'user');
      const [row] = await ds.query('SELECT id, topic, type, envelope FROM outbox WHERE id = $1', [env.id]);
      assert.deepEqual(row, { id: env.id, topic: 'cancel', type: 'cancel.requested', envelope: env });
    });
  });

  describe('markProcessed', () => {
    it('is true the first time only, even when two consumers race', async () => {
      const id = randomUUID();
      const results = await Promise.all([1, 2, 3].map(() => withTransaction(ds, (tx) => markProcessed(tx, 'test-consumer', id))));
      assert.deepEqual(results.sort(), [false, false, true]);
      assert.equal(await markProcessed(ds, 'test-consumer', id), false);
      assert.equal(await markProcessed(ds, 'another-consumer', id), true);
    });

    it('forgets the mark when the consumer\'s transaction rolls back', async () => {
      const id = randomUUID();
      await assert.rejects(withTransaction(ds, async (tx) => { await markProcessed(tx, 'c', id); throw new Error('handler failed'); }));
      assert.equal(await markProcessed(ds, 'c', id), true);
    });
  });

  describe('insertLaunch / findLaunch', () => {
    it('writes experiment, process, job attempt 1, three statuses and the outbox row in one statement', async () => {
      const l = launch();
      assert.equal(await insertLaunch(ds, l), true);
      const found = await findLaunch(ds, l.experiment.id);
      assert.deepEqual(found, { experimentId: l.experiment.id, gatewayId: 'gw', payloadHash: 'h1', state: 'LAUNCHED', processId: l.process.id, jobId: l.job.id });
      const [job] = await jobsOfExperiment(ds, l.experiment.id);
      assert.equal(job.attempt, 1);
      assert.equal(job.taskId, l.job.taskId);
      assert.equal(job.gangSpec, null);
      const hist = await statusHistory(ds, 'job', [l.job.id]);
      assert.deepEqual(hist.map((h) => [h.state, h.reason, h.source]), [['SUBMITTED', 'it\'s "quoted"', 'test']]);
      const [out] = await ds.query('SELECT envelope, message_key FROM outbox WHERE message_key = $1', [l.experiment.id]);
      assert.deepEqual(out.envelope, l.outbox[0].envelope);
    });

    it('writes nothing and answers false when the experiment id is taken', async () => {
      const l = launch();
      await insertLaunch(ds, l);
      const again = launch({ experimentId: l.experiment.id });
      assert.equal(await insertLaunch(ds, again), false);
      assert.equal(await count(ds, 'processes', 'experiment_id = $1', [l.experiment.id]), 1);
      assert.equal(await count(ds, 'jobs', 'experiment_id = $1', [l.experiment.id]), 1);
      assert.equal(await count(ds, 'status_history', 'experiment_id = $1', [l.experiment.id]), 3);
      assert.equal(await count(ds, 'outbox', 'message_key = $1', [l.experiment.id]), 1);
    });

    it('only one of many concurrent launches of one id writes', async () => {
      const id = `E-${randomUUID()}`;
      const results = await Promise.all([1, 2, 3, 4].map(() => insertLaunch(ds, launch({ experimentId: id }))));
      assert.equal(results.filter(Boolean).length, 1);
      assert.equal(await count(ds, 'jobs', 'experiment_id = $1', [id]), 1);
      assert.equal(await count(ds, 'outbox', 'message_key = $1', [id]), 1);
    });

    it('fails whole, writing nothing, when the process id belongs to another experiment', async () => {
      const first = launch();
      await insertLaunch(ds, first);
      const clash = launch({ processId: first.process.id });
      const err = await insertLaunch(ds, clash).then(() => undefined, (e: unknown) => e);
      assert.equal(violatedConstraint(err), 'processes_pkey');
      assert.equal(await count(ds, 'experiments', 'id = $1', [clash.experiment.id]), 0);
      assert.equal(await count(ds, 'status_history', 'experiment_id = $1', [clash.experiment.id]), 0);
      assert.equal(await count(ds, 'outbox', 'message_key = $1', [clash.experiment.id]), 0);
    });
  });

  describe('lockExperiment / latestStatus', () => {
    it('returns the experiment with its process and latest job, and the latest status with its reason', async () => {
      const l = launch();
      await insertLaunch(ds, l);
      const locked = await withTransaction(ds, (tx) => lockExperiment(tx, l.experiment.id));
      assert.deepEqual(locked, { id: l.experiment.id, gatewayId: 'gw', userName: 'alice', state: 'LAUNCHED', processId: l.process.id,
        processState: 'CREATED', jobId: l.job.id, jobTaskId: l.job.taskId, jobState: 'SUBMITTED', attempt: 1 });
      assert.equal(await withTransaction(ds, (tx) => lockExperiment(tx, 'nope')), undefined);
      const st = await latestStatus(ds, 'experiment', l.experiment.id);
      assert.equal(st?.reason, 'accepted');
      assert.equal(st?.gatewayId, 'gw');
      assert.ok(st?.at instanceof Date);
      assert.equal((await latestStatus(ds, 'process', l.process.id))?.state, 'CREATED');
      assert.equal(await latestStatus(ds, 'job', 'nope'), undefined);
    });

    it('serializes writers of one experiment: the second waits for the first to commit', async () => {
      const l = launch();
      await insertLaunch(ds, l);
      const order: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => { release = r; });
      const first = withTransaction(ds, async (tx) => {
        await lockExperiment(tx, l.experiment.id);
        order.push('first locked');
        await gate;
        await setState(tx, 'experiment', l.experiment.id, 'CANCELING');
        order.push('first done');
      });
      while (!order.includes('first locked')) await new Promise((r) => setImmediate(r));
      const second = withTransaction(ds, async (tx) => {
        const seen = await lockExperiment(tx, l.experiment.id);
        order.push(`second saw ${seen?.state}`);
      });
      release();
      await Promise.all([first, second]);
      assert.deepEqual(order, ['first locked', 'first done', 'second saw CANCELING']);
    });
  });

  describe('outbox claims', () => {
    it('claims in order, never a newer row of a key while an older one is held by another relay', async () => {
      const k1 = `k1-${randomUUID()}`;
      const k2 = `k2-${randomUUID()}`;
      const ids: string[] = [];
      for (const key of [k1, k2, k1, k2, k1]) ids.push((await enqueueOutbox(ds, { topic: 'launch', key, type: 't', payload: { key } })).id);

      const runner = ds.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        // Relay A takes the two oldest rows (k1#1, k2#1) and holds them.
        const a = await claimOutboxBatch(runner.manager, 2);
        assert.deepEqual(a.map((m) => m.id), ids.slice(0, 2));
        // Relay B skips them, and must not publish k1#2/k2#2/k1#3 ahead of them.
        const b = await withTransaction(ds, (tx) => claimOutboxBatch(tx, 10));
        assert.deepEqual(b, []);
        await markOutboxSent(runner.manager, a.map((m) => m.seq));
        await runner.commitTransaction();
      } finally {
        await runner.release();
      }
      // Now k1#2, k2#2 and k1#3 are eligible together, in order.
      const c = await withTransaction(ds, (tx) => claimOutboxBatch(tx, 10));
      assert.deepEqual(c.map((m) => m.id), ids.slice(2));
      assert.deepEqual(JSON.parse(c[0].envelope).payload, { key: k1 });
    });

    it('counts failures with their error and shows them in the backlog view', async () => {
      const key = `kf-${randomUUID()}`;
      const env = await enqueueOutbox(ds, { topic: 'cancel', key, type: 't', payload: {} });
      const [m] = await withTransaction(ds, async (tx) => {
        const got = await claimOutboxBatch(tx, 10);
        await markOutboxFailed(tx, got.map((x) => x.seq), 'broker down');
        return got;
      });
      assert.equal(m.id, env.id);
      const backlog = await outboxBacklog(ds);
      const cancel = backlog.find((b) => b.topic === 'cancel');
      assert.deepEqual({ unsent: cancel?.unsent, maxAttempts: cancel?.maxAttempts, lastError: cancel?.lastError }, { unsent: 1, maxAttempts: 1, lastError: 'broker down' });
      await withTransaction(ds, async (tx) => markOutboxSent(tx, (await claimOutboxBatch(tx, 10)).map((x) => x.seq)));
      assert.deepEqual(await outboxBacklog(ds), []);
      const [row] = await ds.query('SELECT attempts, last_error, sent_at FROM outbox WHERE id = $1', [env.id]);
      assert.equal(row.attempts, 2);
      assert.equal(row.last_error, null);
      assert.ok(row.sent_at);
    });

    it('purges sent rows older than the cut-off, never unsent ones', async () => {
      const sent = await enqueueOutbox(ds, { topic: 'launch', key: 'purge', type: 't', payload: {} });
      await ds.query(`UPDATE outbox SET sent_at = now() - interval '2 days' WHERE id = $1`, [sent.id]);
      const unsent = await enqueueOutbox(ds, { topic: 'launch', key: 'purge2', type: 't', payload: {} });
      await purgeSentOutbox(ds, new Date(Date.now() - 86_400_000));
      assert.equal(await count(ds, 'outbox', 'id = $1', [sent.id]), 0);
      assert.equal(await count(ds, 'outbox', 'id = $1', [unsent.id]), 1);
    });
  });

  describe('operator queries', () => {
    it('lists jobs by state and shows a job with its tasks and history', async () => {
      const l = launch();
      await insertLaunch(ds, l);
      await ds.query(`INSERT INTO tasks (id, job_id, agent_id, hostname, ranks, state) VALUES ($1, $2, 'S1', 'agent1', '{0,1}', 'TASK_RUNNING')`, [`${l.job.id}-0`, l.job.id]);
      await appendStatus(ds, { entityType: 'task', entityId: `${l.job.id}-0`, experimentId: l.experiment.id, state: 'TASK_RUNNING', source: 'dispatcher' });
      await withTransaction(ds, async (tx) => {
        await setState(tx, 'job', l.job.id, 'ACTIVE');
        await appendStatus(tx, { entityType: 'job', entityId: l.job.id, experimentId: l.experiment.id, state: 'ACTIVE', source: 'dispatcher' });
      });
      const active = await listJobs(ds, { state: 'ACTIVE' });
      assert.ok(active.some((j) => j.jobId === l.job.id));
      assert.ok(!(await listJobs(ds, { state: 'SUBMITTED' })).some((j) => j.jobId === l.job.id));
      const d = await jobDetail(ds, l.job.id);
      assert.equal(d?.job.queueName, 'normal');
      assert.equal(d?.job.totalCpuCount, 4);
      assert.equal(d?.job.taskCount, 1);
      assert.deepEqual(d?.tasks.map((t) => [t.taskId, t.ranks, t.state]), [[`${l.job.id}-0`, [0, 1], 'TASK_RUNNING']]);
      assert.deepEqual(d?.history.map((h) => `${h.entityType}:${h.state}`), ['experiment:LAUNCHED', 'process:CREATED', 'job:SUBMITTED', 'task:TASK_RUNNING', 'job:ACTIVE']);
      assert.equal(await jobDetail(ds, 'nope'), undefined);
    });
  });

  describe('framework id', () => {
    it('saves, replaces and reads the FrameworkID', async () => {
      const name = `fw-${randomUUID()}`;
      assert.equal(await getFrameworkId(ds, name), undefined);
      await saveFrameworkId(ds, name, 'F-1');
      await saveFrameworkId(ds, name, 'F-2');
      assert.equal(await getFrameworkId(ds, name), 'F-2');
    });
  });
});
