import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { handleCancel, handleGangReady } from '@msched/dispatcher';
import { createLogger } from '@msched/logging';
import type { GangReady, JobEnded } from '@msched/model';
import { freshDatabase, requireStack } from '../../helpers/stack';
import { historyOf, jobView, outboxOf, suiteConfig } from './support';

/**
 * The intake every replica runs (real PostgreSQL): GangReady and cancel requests, delivered once or
 * again, in either order. Design: consumers only write to the database, idempotently.
 */
describe('dispatcher: intake of gangs and cancel requests (real PostgreSQL)', () => {
  const cfg = suiteConfig('dintake');
  const logger = createLogger({ service: 'test', silent: true });
  let ds: DataSource;

  before(async () => {
    await requireStack('postgres');
    ds = await freshDatabase(cfg);
  });
  after(() => ds?.destroy());

  async function seeded() {
    const id = randomUUID().slice(0, 8);
    const ids = { experimentId: `EXP_${id}`, processId: `PROCESS_${id}`, jobId: `JOB_${id}`, gatewayId: 'gw' };
    await ds.query(`INSERT INTO experiments (id, gateway_id, user_name, project_id, name, payload_hash, model, state) VALUES ($1, 'gw', 'u', 'p', 'n', 'h', '{}', 'LAUNCHED')`, [ids.experimentId]);
    await ds.query(`INSERT INTO processes (id, experiment_id, state, resource_schedule, compute_resource_id, model) VALUES ($1, $2, 'EXECUTING', '{}', 'mesos', '{}')`, [ids.processId, ids.experimentId]);
    await ds.query(`INSERT INTO jobs (id, process_id, experiment_id, task_id, attempt, state) VALUES ($1, $2, $3, 'TASK_1', 1, 'SUBMITTED')`, [ids.jobId, ids.processId, ids.experimentId]);
    const ready: GangReady = {
      taskId: 'TASK_1',
      spec: { ...ids, attempt: 1, ranks: 2, cpusPerRank: 1, memMbPerRank: 64, wallTimeSeconds: 0, role: 'mpi', app: { executable: '/bin/true', args: [], env: {}, mpi: 'none', uris: [] } },
    };
    return { ids, ready };
  }

  it('queues a gang once however often its message comes, with the default wall time when it has none', async () => {
    const { ids, ready } = await seeded();
    assert.equal(await handleGangReady(ds, 'm1', ready, logger, 3600), 'queued');
    assert.equal(await handleGangReady(ds, 'm1', ready, logger, 3600), 'duplicate');
    assert.equal(await handleGangReady(ds, 'm2', ready, logger, 3600), 'already-queued', 'the same gang handed over again');
    const j = await jobView(ds, ids.jobId);
    assert.equal(j.state, 'QUEUED');
    const [{ gang_spec: spec }] = await ds.query('SELECT gang_spec FROM jobs WHERE id = $1', [ids.jobId]);
    assert.equal(spec.wallTimeSeconds, 3600);
    assert.deepEqual(await historyOf(ds, 'job', ids.jobId), ['QUEUED']);
    assert.deepEqual(await historyOf(ds, 'process', ids.processId), ['QUEUED']);
    assert.deepEqual(await historyOf(ds, 'experiment', ids.experimentId), ['SCHEDULED']);
  });

  it('cancels a waiting gang at once, and a gang canceled before it arrived when it arrives', async () => {
    const waiting = await seeded();
    await handleGangReady(ds, randomUUID(), waiting.ready, logger, 3600);
    const r = await handleCancel(ds, randomUUID(), { ...waiting.ids, reason: 'terminated by bob' }, logger);
    assert.deepEqual(r, { canceled: [waiting.ids.jobId], marked: [] });
    assert.equal((await jobView(ds, waiting.ids.jobId)).state, 'CANCELED');
    const ended = await outboxOf<JobEnded>(ds, waiting.ids.experimentId, 'jobEnded');
    assert.deepEqual(ended.map((e) => [e.state, e.reason, e.tasks.length]), [['CANCELED', 'terminated by bob', 0]]);

    const early = await seeded();
    assert.deepEqual(await handleCancel(ds, randomUUID(), { ...early.ids, reason: 'too late anyway' }, logger), { canceled: [], marked: [early.ids.jobId] });
    assert.equal((await jobView(ds, early.ids.jobId)).state, 'SUBMITTED', 'its gang has not arrived: nothing to cancel yet');
    assert.equal(await handleGangReady(ds, randomUUID(), early.ready, logger, 3600), 'canceled');
    assert.equal((await jobView(ds, early.ids.jobId)).state, 'CANCELED');
    assert.deepEqual(await historyOf(ds, 'job', early.ids.jobId), ['CANCELED']);
  });
});
