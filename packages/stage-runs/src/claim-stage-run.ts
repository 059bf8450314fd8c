import { Db, queryOne } from '@msched/db';
import type { StageWork } from '@msched/model';

export interface Claim {
  id: string;
  attempts: number;
}

/**
 * Marks the stage running and counts the attempt, unless it already finished (done, dead or failed):
 * then returns undefined and the caller does nothing (a redelivered message).
 */
export async function claimStageRun(tx: Db, w: StageWork): Promise<Claim | undefined> {
  return queryOne<Claim>(tx, `
    INSERT INTO stage_runs (process_id, job_id, stage, state, attempts, started_at, work)
    VALUES ($1, $2, $3, 'running', 1, now(), $4)
    ON CONFLICT (job_id, stage) DO UPDATE
      SET state = 'running', attempts = stage_runs.attempts + 1, started_at = now(), updated_at = now(), next_attempt_at = NULL
      WHERE stage_runs.state IN ('queued', 'running', 'retry_wait')
    RETURNING id::text AS id, attempts`, [w.processId, w.jobId, w.stage, JSON.stringify(w)]);
}
