import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { withTransaction } from '@msched/db';
import { recordTransition } from '@msched/state-recorder';
import { freshDatabase, requireStack } from '../../helpers/stack';

describe('recordTransition (integration, real PostgreSQL)', () => {
  let ds: DataSource;
  before(async () => {
    await requireStack('postgres');
    ds = await freshDatabase();
  });
  after(() => ds?.destroy());

  async function seed() {
    const exp = `exp-${randomUUID()}`;
    const proc = `proc-${randomUUID()}`;
    const job = `job-${randomUUID()}`;
    await ds.query(`INSERT INTO experiments (id, gateway_id, user_name, project_id, name, payload_hash, model, state) VALUES ($1,'gw','u','p','n','h','{}','EXECUTING')`, [exp]);
    await ds.query(`INSERT INTO processes (id, experiment_id, state, resource_schedule, compute_resource_id, model) VALUES ($1,$2,'EXECUTING','{}','mesos','{}')`, [proc, exp]);
    await ds.query(`INSERT INTO jobs (id, process_id, experiment_id, task_id, attempt, state) VALUES ($1,$2,$3,'task-1',1,'SUBMITTED')`, [job, proc, exp]);
    return { exp, proc, job, subject: { gatewayId: 'gw', experimentId: exp, processId: proc, taskId: 'task-1' } };
  }

  const events = async (exp: string) => (await ds.query(`SELECT envelope->'payload' AS p FROM outbox WHERE message_key = $1 AND topic = 'events' ORDER BY seq`, [exp]))
    .map((r: { p: { entity: string; state: string } }) => `${r.p.entity}:${r.p.state}`);

  it('applies a change: state, history, event, and the Airavata task state it implies', async () => {
    const s = await seed();
    const r = await withTransaction(ds, (tx) => recordTransition(tx, { entity: 'job', id: s.job, to: 'ACTIVE', source: 'dispatcher', subject: s.subject }));
    assert.deepEqual(r, { applied: true, from: 'SUBMITTED' });
    assert.deepEqual(await ds.query('SELECT state FROM jobs WHERE id=$1', [s.job]), [{ state: 'ACTIVE' }]);
    assert.deepEqual(await events(s.exp), ['job:ACTIVE']);

    await withTransaction(ds, (tx) => recordTransition(tx, { entity: 'job', id: s.job, to: 'FAILED', reason: 'rank 2 exited with code 3', exitCode: 3, failedRank: 2, source: 'dispatcher', subject: s.subject }));
    assert.deepEqual(await ds.query('SELECT state, reason, exit_code, failed_rank FROM jobs WHERE id=$1', [s.job]), [{ state: 'FAILED', reason: 'rank 2 exited with code 3', exit_code: 3, failed_rank: 2 }]);
    assert.deepEqual(await events(s.exp), ['job:ACTIVE', 'job:FAILED', 'task:FAILED']);
    const hist = await ds.query(`SELECT state, reason FROM status_history WHERE entity_id=$1 ORDER BY id`, [s.job]);
    assert.deepEqual(hist, [{ state: 'ACTIVE', reason: null }, { state: 'FAILED', reason: 'rank 2 exited with code 3' }]);
  });

  it('stamps the event with the time of its history row (one clock for one change)', async () => {
    const s = await seed();
    // The app clock and the database clock differ by at least the wait: a stamp from the app clock would be later.
    await withTransaction(ds, async (tx) => {
      await tx.query('SELECT now()');
      await new Promise((r) => setTimeout(r, 50));
      await recordTransition(tx, { entity: 'job', id: s.job, to: 'ACTIVE', source: 'dispatcher', subject: s.subject });
    });
    const [hist] = await ds.query(`SELECT at FROM status_history WHERE entity_id=$1`, [s.job]);
    const [ev] = await ds.query(`SELECT envelope->'payload'->>'time' AS time FROM outbox WHERE message_key = $1 AND topic = 'events'`, [s.exp]);
    assert.equal(ev.time, (hist.at as Date).toISOString());
  });

  it('refuses going back from a terminal state and drops duplicates, writing nothing', async () => {
    const s = await seed();
    await withTransaction(ds, (tx) => recordTransition(tx, { entity: 'job', id: s.job, to: 'COMPLETE', source: 'dispatcher', subject: s.subject }));
    const before = await events(s.exp);
    const dup = await withTransaction(ds, (tx) => recordTransition(tx, { entity: 'job', id: s.job, to: 'COMPLETE', source: 'dispatcher', subject: s.subject }));
    assert.equal(dup.applied, false);
    const back = await withTransaction(ds, (tx) => recordTransition(tx, { entity: 'job', id: s.job, to: 'ACTIVE', source: 'dispatcher', subject: s.subject }));
    assert.deepEqual(back, { applied: false, kind: 'rejected', reason: 'job is already COMPLETE (terminal); ACTIVE ignored' });
    assert.deepEqual(await events(s.exp), before);
    const missing = await withTransaction(ds, (tx) => recordTransition(tx, { entity: 'job', id: 'nope', to: 'ACTIVE', source: 'dispatcher', subject: s.subject }));
    assert.equal(missing.applied, false);
  });

  it('moves the experiment the way Airavata\'s orchestrator does when the process moves', async () => {
    const s = await seed();
    await withTransaction(ds, (tx) => recordTransition(tx, { entity: 'process', id: s.proc, to: 'QUEUED', reason: 'waiting for 8 cpus', source: 'dispatcher', subject: s.subject }));
    assert.deepEqual(await ds.query('SELECT state FROM experiments WHERE id=$1', [s.exp]), [{ state: 'SCHEDULED' }]);
    await withTransaction(ds, (tx) => recordTransition(tx, { entity: 'process', id: s.proc, to: 'MONITORING', source: 'dispatcher', subject: s.subject }));
    assert.deepEqual(await events(s.exp), ['process:QUEUED', 'experiment:SCHEDULED', 'process:MONITORING', 'experiment:EXECUTING']);
  });

  it('rolls back with the caller\'s transaction', async () => {
    const s = await seed();
    await assert.rejects(withTransaction(ds, async (tx) => {
      await recordTransition(tx, { entity: 'job', id: s.job, to: 'ACTIVE', source: 'dispatcher', subject: s.subject });
      throw new Error('crash before commit');
    }), /crash before commit/);
    assert.deepEqual(await ds.query('SELECT state FROM jobs WHERE id=$1', [s.job]), [{ state: 'SUBMITTED' }]);
    assert.deepEqual(await events(s.exp), []);
  });
});
