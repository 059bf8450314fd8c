import { Db, queryOne } from '@msched/db';
import type { StageName } from '@msched/model';

/** Whether the job has a stage_runs row for `stage`, in any state. */
export async function stageRunExists(db: Db, jobId: string, stage: StageName): Promise<boolean> {
  return (await queryOne(db, 'SELECT 1 FROM stage_runs WHERE job_id = $1 AND stage = $2', [jobId, stage])) !== undefined;
}
