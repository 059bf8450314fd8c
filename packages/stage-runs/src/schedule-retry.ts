import type { Db } from '@msched/db';
import type { StageName } from '@msched/model';

export async function scheduleRetry(tx: Db, jobId: string, stage: StageName, error: string, delayMs: number): Promise<void> {
  await tx.query(`UPDATE stage_runs SET state = 'retry_wait', last_error = $3, updated_at = now(),
      next_attempt_at = now() + ($4::double precision * interval '1 millisecond')
    WHERE job_id = $1 AND stage = $2`, [jobId, stage, error, delayMs]);
}
