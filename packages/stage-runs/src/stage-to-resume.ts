import { Db, queryOne } from '@msched/db';
import type { StageName, StageWork } from '@msched/model';

/**
 * After `stage` was found finished (a message delivered again): the work of the stage that follows
 * it when `stage` is done and that one was queued in the same turn and has not ended. Done ones
 * are returned too, so the caller walks past them; one waiting for its retry time is left to the
 * retry scheduler, one dead or failed ends the chain.
 */
export async function stageToResume(db: Db, jobId: string, stage: StageName, next: StageName): Promise<StageWork | undefined> {
  const row = await queryOne<{ work: StageWork }>(db, `SELECT n.work FROM stage_runs c
    JOIN stage_runs n ON n.job_id = c.job_id AND n.stage = $3
    WHERE c.job_id = $1 AND c.stage = $2 AND c.state = 'done' AND n.state IN ('queued', 'running', 'done') AND n.work IS NOT NULL`, [jobId, stage, next]);
  return row?.work;
}
