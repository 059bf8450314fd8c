import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import { appendStatus, migrate } from '@msched/db';
import { migrations } from '@msched/migrations';
import { requireStack } from '../../helpers/stack';
import { ownDatabase } from '../../helpers/own-database';

describe('job database schema (integration)', function () {
  let ds: DataSource;

  before(async () => {
    await requireStack('postgres');
    const own = await ownDatabase('schema');
    ds = own.ds;
  });
  after(async () => { await ds?.destroy(); });

  it('applies every migration once; a second run finds nothing to do', async () => {
    const applied = (await ds.query('SELECT name FROM schema_migrations ORDER BY id')).map((r: { name: string }) => r.name);
    assert.deepEqual(applied, migrations.map((m) => (new (m as new () => { name: string })()).name));
    assert.deepEqual(applied.slice(0, 2), ['JobDatabase1763780400000', 'OperatorViews1763780400001']);
    assert.deepEqual(await migrate(ds), []);
  });

  it('the TypeORM entities describe exactly the migrated tables (no drift either way)', async () => {
    const log = await ds.driver.createSchemaBuilder().log();
    assert.deepEqual(log.upQueries.map((q) => q.query), []);
  });

  it('has the operator views', async () => {
    const views = await ds.query(`SELECT table_name FROM information_schema.views WHERE table_schema = 'public' ORDER BY 1`);
    assert.deepEqual(views.map((v: { table_name: string }) => v.table_name), ['job_counts_by_state', 'job_history', 'job_overview', 'job_tasks', 'outbox_backlog']);
  });

  it('keeps the status history append-only', async () => {
    const { id } = await appendStatus(ds, { entityType: 'experiment', entityId: 'E-append', experimentId: 'E-append', state: 'CREATED', source: 'test' });
    await assert.rejects(ds.query('UPDATE status_history SET state = $2 WHERE id = $1', [id, 'FAILED']), /append-only: UPDATE refused/);
    await assert.rejects(ds.query('DELETE FROM status_history WHERE id = $1', [id]), /append-only: DELETE refused/);
    assert.deepEqual(await ds.query('SELECT state FROM status_history WHERE id = $1', [id]), [{ state: 'CREATED' }]);
  });

  it('refuses a status row for an unknown kind of entity', async () => {
    await assert.rejects(ds.query(`INSERT INTO status_history (entity_type, entity_id, experiment_id, state, source) VALUES ('gang', 'g', 'e', 'X', 't')`),
      /status_history_entity_type_check/);
  });
});
