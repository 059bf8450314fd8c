import { Db, queryRows } from '@msched/db';
import type { StageName } from '@msched/model';

export async function completeStageRun(tx: Db, jobId: string, stage: StageName): Promise<boolean> {
  const rows = await queryRows(tx, `UPDATE stage_runs SET state = 'done', finished_at = now(), updated_at = now(), last_error = NULL
    WHERE job_id = $1 AND stage = $2 AND state = 'running' RETURNING 1`, [jobId, stage]);
  return rows.length === 1;
}
