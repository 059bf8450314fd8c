import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The console's jobs table pages newest first (created_at DESC, id DESC) with a keyset cursor; this
 * index answers a page of 100 out of any number of jobs without sorting them all; the user index
 * serves its filter by user.
 */
export class ConsoleJobsIndex1765080000000 implements MigrationInterface {
  name = 'ConsoleJobsIndex1765080000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX IF NOT EXISTS jobs_newest_idx ON jobs (created_at DESC, id DESC)');
    // "Jobs of this user": the user's experiments first, then their jobs, instead of walking all jobs.
    await q.query('CREATE INDEX IF NOT EXISTS experiments_user_idx ON experiments (user_name)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS experiments_user_idx');
    await q.query('DROP INDEX IF EXISTS jobs_newest_idx');
  }
}
