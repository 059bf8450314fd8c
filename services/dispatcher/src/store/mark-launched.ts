import type { Db } from '@msched/db';

/** The job's launch bookkeeping: when its ACCEPTs went out (the wall-time clock) and under which framework. */
export async function markLaunched(tx: Db, jobId: string, frameworkId: string, at: Date): Promise<void> {
  await tx.query('UPDATE jobs SET launched_at = $2, framework_id = $3, wait_reason = NULL, wait_reason_at = NULL, updated_at = now() WHERE id = $1', [jobId, at, frameworkId]);
}
