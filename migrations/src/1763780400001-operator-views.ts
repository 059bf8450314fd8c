import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Views for the questions operators ask (docs/operators.md): which jobs are in which state, what a
 * job's tasks are and what happened to it, and whether the outbox is keeping up.
 */
export class OperatorViews1763780400001 implements MigrationInterface {
  name = 'OperatorViews1763780400001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE VIEW job_overview AS
      SELECT j.id AS job_id, j.experiment_id, j.process_id, j.task_id, j.attempt, j.state, j.reason,
             j.exit_code, j.failed_rank, e.gateway_id, e.user_name, e.name AS experiment_name,
             e.state AS experiment_state, p.state AS process_state, p.compute_resource_id,
             p.resource_schedule ->> 'queueName' AS queue_name,
             (p.resource_schedule ->> 'totalCPUCount')::integer AS total_cpu_count,
             (SELECT count(*) FROM tasks t WHERE t.job_id = j.id)::integer AS task_count,
             j.created_at, j.updated_at
      FROM jobs j
      JOIN processes p ON p.id = j.process_id
      JOIN experiments e ON e.id = j.experiment_id`);
    await q.query(`
      CREATE VIEW job_counts_by_state AS
      SELECT state, count(*)::integer AS jobs, min(updated_at) AS oldest_update, max(updated_at) AS newest_update
      FROM jobs GROUP BY state`);
    await q.query(`
      CREATE VIEW job_tasks AS
      SELECT t.job_id, t.id AS task_id, t.agent_id, t.hostname, t.ranks, t.state, t.exit_code, t.message,
             t.sandbox_path, t.last_update_at, t.created_at, t.updated_at
      FROM tasks t`);
    await q.query(`
      CREATE VIEW job_history AS
      SELECT j.id AS job_id, h.id AS history_id, h.entity_type, h.entity_id, h.state, h.reason, h.source, h.at
      FROM jobs j
      JOIN status_history h ON h.experiment_id = j.experiment_id
       AND (   (h.entity_type = 'job' AND h.entity_id = j.id)
            OR (h.entity_type = 'task' AND h.entity_id IN (SELECT t.id FROM tasks t WHERE t.job_id = j.id))
            OR (h.entity_type = 'process' AND h.entity_id = j.process_id)
            OR (h.entity_type = 'experiment'))`);
    await q.query(`
      CREATE VIEW outbox_backlog AS
      SELECT topic, count(*)::integer AS unsent, min(created_at) AS oldest, max(attempts) AS max_attempts,
             (array_agg(last_error ORDER BY seq DESC) FILTER (WHERE last_error IS NOT NULL))[1] AS last_error
      FROM outbox WHERE sent_at IS NULL GROUP BY topic`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const v of ['outbox_backlog', 'job_history', 'job_tasks', 'job_counts_by_state', 'job_overview']) await q.query(`DROP VIEW IF EXISTS ${v}`);
  }
}
