import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import { jobsPage, withoutParallelWorkers } from '@msched/console';
import { ownDatabase } from '../../helpers/own-database';
import { requireStack } from '../../helpers/stack';

/**
 * How PostgreSQL answers the console's jobs page (plans, not timings: bench/console times them).
 * A queue filter must walk the newest-first index like an unfiltered page, not join and sort every
 * job; and the page is planned without parallel workers, which a page of 100 rows never needs.
 */
describe('console jobs page plans (integration)', function () {
  this.timeout(120000);
  let ds: DataSource;
  const JOBS = 5000;

  before(async () => {
    await requireStack('postgres');
    ({ ds } = await ownDatabase('console_plan'));
    // Two queues, each a large share of the jobs, as on a real cluster.
    await ds.query(`INSERT INTO experiments (id, gateway_id, user_name, project_id, name, payload_hash, model, state, created_at)
      SELECT 'EXP_' || g, 'gw', 'user' || (g % 50), 'p', 'experiment ' || g, 'h', '{}'::jsonb, 'COMPLETED', now() - g * interval '1 minute'
      FROM generate_series(1, $1) g`, [JOBS]);
    await ds.query(`INSERT INTO processes (id, experiment_id, state, resource_schedule, compute_resource_id, model, created_at)
      SELECT 'PROC_' || g, 'EXP_' || g, 'COMPLETED', jsonb_build_object('queueName', CASE WHEN g % 4 = 0 THEN 'large' ELSE 'normal' END, 'totalCPUCount', 4),
             'mesos-local', '{}'::jsonb, now() - g * interval '1 minute'
      FROM generate_series(1, $1) g`, [JOBS]);
    await ds.query(`INSERT INTO jobs (id, process_id, experiment_id, task_id, attempt, state, created_at)
      SELECT 'JOB_' || g, 'PROC_' || g, 'EXP_' || g, 'TASK_' || g, 1, 'COMPLETE', now() - g * interval '1 minute'
      FROM generate_series(1, $1) g`, [JOBS]);
    await ds.query('ANALYZE experiments');
    await ds.query('ANALYZE processes');
    await ds.query('ANALYZE jobs');
  });
  after(async () => { await ds?.destroy(); });

  it('a queue filter walks jobs newest first (estimated from statistics), not a sort of every job', async () => {
    const plan: Array<{ 'QUERY PLAN': string }> = await ds.query(`EXPLAIN SELECT j.id FROM jobs j
      JOIN experiments e ON e.id = j.experiment_id JOIN processes p ON p.id = j.process_id
      WHERE p.resource_schedule ->> 'queueName' = 'large' ORDER BY j.created_at DESC, j.id DESC LIMIT 101`);
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    assert.match(text, /jobs_newest_idx/, text);
    assert.doesNotMatch(text, /Sort Key/, text);
    const page = await jobsPage(ds, { queue: 'large', limit: 100 });
    assert.equal(page.jobs.length, 100);
    assert.ok(page.jobs.every((j) => j.queueName === 'large'));
    assert.deepEqual(page.jobs.slice(0, 2).map((j) => j.jobId), ['JOB_4', 'JOB_8']);
  });

  it('the page is planned without parallel workers, and the setting stays inside its transaction', async () => {
    const inside = await withoutParallelWorkers(ds, async (db) => (await db.query('SHOW max_parallel_workers_per_gather'))[0].max_parallel_workers_per_gather);
    assert.equal(inside, '0');
    // Every pooled connection is back to the server's setting afterwards.
    const [server] = await ds.query(`SELECT reset_val FROM pg_settings WHERE name = 'max_parallel_workers_per_gather'`);
    for (let i = 0; i < 5; i++) {
      const [{ max_parallel_workers_per_gather: v }] = await ds.query('SHOW max_parallel_workers_per_gather');
      assert.equal(v, server.reset_val);
    }
  });
});
