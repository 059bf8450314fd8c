import type { MigrationInterface, QueryRunner } from 'typeorm';

const OVERVIEW_BEFORE = `
      SELECT j.id AS job_id, j.experiment_id, j.process_id, j.task_id, j.attempt, j.state, j.reason,
             j.exit_code, j.failed_rank, e.gateway_id, e.user_name, e.name AS experiment_name,
             e.state AS experiment_state, p.state AS process_state, p.compute_resource_id,
             p.resource_schedule ->> 'queueName' AS queue_name,
             (p.resource_schedule ->> 'totalCPUCount')::integer AS total_cpu_count,
             (SELECT count(*) FROM tasks t WHERE t.job_id = j.id)::integer AS task_count,
             j.created_at, j.updated_at
      FROM jobs j
      JOIN processes p ON p.id = j.process_id
      JOIN experiments e ON e.id = j.experiment_id`;

/**
 * job_overview predates the dispatcher's bookkeeping: it gains why a gang waits (the offer
 * policy's wait reason, jobs.wait_reason) and how long it waited for its agents and has run.
 * A view can only gain columns at its end, so they follow the old ones.
 */
export class JobOverviewWait1765080000150 implements MigrationInterface {
  name = 'JobOverviewWait1765080000150';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE VIEW job_overview AS
      SELECT j.id AS job_id, j.experiment_id, j.process_id, j.task_id, j.attempt, j.state, j.reason,
             j.exit_code, j.failed_rank, e.gateway_id, e.user_name, e.name AS experiment_name,
             e.state AS experiment_state, p.state AS process_state, p.compute_resource_id,
             p.resource_schedule ->> 'queueName' AS queue_name,
             (p.resource_schedule ->> 'totalCPUCount')::integer AS total_cpu_count,
             (SELECT count(*) FROM tasks t WHERE t.job_id = j.id)::integer AS task_count,
             j.created_at, j.updated_at,
             j.wait_reason, j.wait_reason_at, j.queued_at, j.launched_at, j.settled_at,
             -- queued until launched (or ended without launching); still waiting counts up to now
             CASE WHEN j.queued_at IS NULL THEN NULL
                  ELSE extract(epoch FROM coalesce(j.launched_at, j.settled_at, now()) - j.queued_at)::integer END AS wait_seconds,
             CASE WHEN j.launched_at IS NULL THEN NULL
                  ELSE extract(epoch FROM coalesce(j.settled_at, now()) - j.launched_at)::integer END AS run_seconds
      FROM jobs j
      JOIN processes p ON p.id = j.process_id
      JOIN experiments e ON e.id = j.experiment_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP VIEW job_overview');
    await q.query(`CREATE VIEW job_overview AS ${OVERVIEW_BEFORE}`);
  }
}
