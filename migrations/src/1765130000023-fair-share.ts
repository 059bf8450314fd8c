import type { MigrationInterface, QueryRunner } from 'typeorm';

const OVERVIEW_BEFORE = `
      SELECT j.id AS job_id, j.experiment_id, j.process_id, j.task_id, j.attempt, j.state, j.reason,
             j.exit_code, j.failed_rank, e.gateway_id, e.user_name, e.name AS experiment_name,
             e.state AS experiment_state, p.state AS process_state, p.compute_resource_id,
             p.resource_schedule ->> 'queueName' AS queue_name,
             (p.resource_schedule ->> 'totalCPUCount')::integer AS total_cpu_count,
             (SELECT count(*) FROM tasks t WHERE t.job_id = j.id)::integer AS task_count,
             j.created_at, j.updated_at,
             j.wait_reason, j.wait_reason_at, j.queued_at, j.launched_at, j.settled_at,
             CASE WHEN j.queued_at IS NULL THEN NULL
                  ELSE extract(epoch FROM coalesce(j.launched_at, j.settled_at, now()) - j.queued_at)::integer END AS wait_seconds,
             CASE WHEN j.launched_at IS NULL THEN NULL
                  ELSE extract(epoch FROM coalesce(j.settled_at, now()) - j.launched_at)::integer END AS run_seconds
      FROM jobs j
      JOIN processes p ON p.id = j.process_id
      JOIN experiments e ON e.id = j.experiment_id`;

/**
 * Fair share and estimated starts (issue 23). A waiting gang's expected start is saved by the
 * leading dispatcher beside its wait reason; the last one told to Airavata (and when) is kept so a
 * new leader does not announce it again. Past usage is derived from the job rows at takeover:
 * jobs_usage_idx finds the launched jobs that ended within the decay horizon (or still run)
 * without walking every job ever run. A launch's quota check counts a gateway's unlaunched jobs:
 * jobs_unlaunched_idx serves it.
 */
export class FairShare1765130000023 implements MigrationInterface {
  name = 'FairShare1765130000023';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE jobs
        ADD COLUMN expected_start_at        timestamptz,
        ADD COLUMN start_announced_for      timestamptz,
        ADD COLUMN start_announced_at       timestamptz`);
    await q.query('CREATE INDEX IF NOT EXISTS jobs_usage_idx ON jobs (settled_at) WHERE launched_at IS NOT NULL');
    await q.query('CREATE INDEX IF NOT EXISTS jobs_unlaunched_idx ON jobs (experiment_id) WHERE launched_at IS NULL AND settled_at IS NULL AND state NOT IN (\'COMPLETE\', \'CANCELED\', \'FAILED\')');
    await q.query(`CREATE OR REPLACE VIEW job_overview AS ${OVERVIEW_BEFORE.replace(
      '\n      FROM jobs j',
      ',\n             j.expected_start_at\n      FROM jobs j',
    )}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP VIEW job_overview');
    await q.query(`CREATE VIEW job_overview AS ${OVERVIEW_BEFORE}`);
    await q.query('DROP INDEX IF EXISTS jobs_unlaunched_idx');
    await q.query('DROP INDEX IF EXISTS jobs_usage_idx');
    await q.query('ALTER TABLE jobs DROP COLUMN IF EXISTS start_announced_at, DROP COLUMN IF EXISTS start_announced_for, DROP COLUMN IF EXISTS expected_start_at');
  }
}
