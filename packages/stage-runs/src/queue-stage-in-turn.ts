import { Db, queryOne } from '@msched/db';
import type { StageName, StageWork } from '@msched/model';

/**
 * Queues a stage as a stage_runs row alone, no message: the runner that finished the stage before
 * it runs it in the same consumer turn. Nothing is lost on a crash: the message that started the
 * turn is not acknowledged until the turn ends, so it comes again and the runner resumes at the
 * first stage of the chain that is not done (stageToResume).
 */
export async function queueStageInTurn(tx: Db, w: StageWork): Promise<void> {
  await tx.query(`INSERT INTO stage_runs (process_id, job_id, stage, state, attempts, work)
    VALUES ($1, $2, $3, 'queued', 0, $4) ON CONFLICT (job_id, stage) DO NOTHING`, [w.processId, w.jobId, w.stage, JSON.stringify(w)]);
}

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

export async function stageRunExists(db: Db, jobId: string, stage: StageName): Promise<boolean> {
  return (await queryOne(db, 'SELECT 1 FROM stage_runs WHERE job_id = $1 AND stage = $2', [jobId, stage])) !== undefined;
}
