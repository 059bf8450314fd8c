import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Provisioning stages retry by delayed redelivery from the database: a failed run records when it
 * may run again, and the retry scheduler re-queues it through the outbox then, so a waiting retry
 * never blocks the other messages of its Kafka partition. A run out of attempts is dead-lettered
 * and keeps the work it carried so an operator can replay it.
 */
export class StageRetries1763780400100 implements MigrationInterface {
  name = 'StageRetries1763780400100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE stage_runs
      ADD COLUMN next_attempt_at timestamptz,
      ADD COLUMN work jsonb,
      ADD COLUMN dead_at timestamptz,
      ADD COLUMN replayed_at timestamptz`);
    await q.query(`CREATE INDEX stage_runs_due_idx ON stage_runs (next_attempt_at) WHERE state = 'retry_wait'`);
    await q.query(`CREATE INDEX stage_runs_dead_idx ON stage_runs (dead_at) WHERE state = 'dead'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX stage_runs_dead_idx');
    await q.query('DROP INDEX stage_runs_due_idx');
    await q.query('ALTER TABLE stage_runs DROP COLUMN replayed_at, DROP COLUMN dead_at, DROP COLUMN work, DROP COLUMN next_attempt_at');
  }
}
