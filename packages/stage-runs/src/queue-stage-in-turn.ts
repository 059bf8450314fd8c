import { Db } from '@msched/db';
import type { StageWork } from '@msched/model';

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
