import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the Mesos dispatch worker keeps beside the job and task rows: when a gang was queued,
 * launched and settled (its JobEnded sent), a cancel request that may arrive before or during the
 * run, why a gang is still waiting (for `msched jobs show`), what kind of failure ended it, and
 * which task of a gang ran the MPI launcher (its sandbox `stdout` is the job's stdout).
 */
export class DispatcherBookkeeping1763780400200 implements MigrationInterface {
  name = 'DispatcherBookkeeping1763780400200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE jobs
        ADD COLUMN queued_at            timestamptz,
        ADD COLUMN launched_at          timestamptz,
        ADD COLUMN settled_at           timestamptz,
        ADD COLUMN cancel_requested_at  timestamptz,
        ADD COLUMN cancel_reason        text,
        ADD COLUMN wait_reason          text,
        ADD COLUMN wait_reason_at       timestamptz,
        ADD COLUMN failure_kind         text`);
    // The leader's two questions after every election and notification: which gangs wait, which run.
    await q.query('CREATE INDEX jobs_unsettled_idx ON jobs (state) WHERE settled_at IS NULL');
    await q.query(`
      ALTER TABLE tasks
        ADD COLUMN task_index  integer,
        ADD COLUMN launcher    boolean NOT NULL DEFAULT false`);
    await q.query('CREATE INDEX tasks_live_idx ON tasks (state) WHERE state NOT IN (\'TASK_FINISHED\', \'TASK_FAILED\', \'TASK_KILLED\', \'TASK_ERROR\', \'TASK_DROPPED\', \'TASK_GONE\')');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS tasks_live_idx');
    await q.query('DROP INDEX IF EXISTS jobs_unsettled_idx');
    await q.query('ALTER TABLE tasks DROP COLUMN IF EXISTS launcher, DROP COLUMN IF EXISTS task_index');
    await q.query(`ALTER TABLE jobs DROP COLUMN IF EXISTS failure_kind, DROP COLUMN IF EXISTS wait_reason_at, DROP COLUMN IF EXISTS wait_reason,
      DROP COLUMN IF EXISTS cancel_reason, DROP COLUMN IF EXISTS cancel_requested_at, DROP COLUMN IF EXISTS settled_at,
      DROP COLUMN IF EXISTS launched_at, DROP COLUMN IF EXISTS queued_at`);
  }
}
