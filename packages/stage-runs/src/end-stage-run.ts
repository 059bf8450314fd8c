import type { Db } from '@msched/db';
import type { StageName } from '@msched/model';

export async function endStageRun(tx: Db, jobId: string, stage: StageName, state: 'dead' | 'failed', error: string): Promise<void> {
  await tx.query(`UPDATE stage_runs SET state = $3, last_error = $4, finished_at = now(), updated_at = now(),
      dead_at = CASE WHEN $3 = 'dead' THEN now() END
    WHERE job_id = $1 AND stage = $2`, [jobId, stage, state, error]);
}
