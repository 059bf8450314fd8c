import { Db, queryOne, queryRows } from '@msched/db';
import type { StageName, StageWork } from '../messages/stage-work';

/**
 * stage_runs, one row per (job, stage): the record that makes every stage idempotent. States:
 * queued → running → done | retry_wait (→ queued) | dead (out of attempts) | failed (permanent).
 */
export type StageRunState = 'queued' | 'running' | 'done' | 'retry_wait' | 'dead' | 'failed';

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

export async function completeStageRun(tx: Db, jobId: string, stage: StageName): Promise<boolean> {
  const rows = await queryRows(tx, `UPDATE stage_runs SET state = 'done', finished_at = now(), updated_at = now(), last_error = NULL
    WHERE job_id = $1 AND stage = $2 AND state = 'running' RETURNING 1`, [jobId, stage]);
  return rows.length === 1;
}

export async function scheduleRetry(tx: Db, jobId: string, stage: StageName, error: string, delayMs: number): Promise<void> {
  await tx.query(`UPDATE stage_runs SET state = 'retry_wait', last_error = $3, updated_at = now(),
      next_attempt_at = now() + ($4::double precision * interval '1 millisecond')
    WHERE job_id = $1 AND stage = $2`, [jobId, stage, error, delayMs]);
}

export async function endStageRun(tx: Db, jobId: string, stage: StageName, state: 'dead' | 'failed', error: string): Promise<void> {
  await tx.query(`UPDATE stage_runs SET state = $3, last_error = $4, finished_at = now(), updated_at = now(),
      dead_at = CASE WHEN $3 = 'dead' THEN now() END
    WHERE job_id = $1 AND stage = $2`, [jobId, stage, state, error]);
}

/** Locks and returns the retries whose time has come (other provisioners skip locked rows). */
export async function takeDueRetries(tx: Db, limit: number): Promise<Array<{ id: string; work: StageWork }>> {
  return queryRows(tx, `SELECT id::text AS id, work FROM stage_runs
    WHERE state = 'retry_wait' AND next_attempt_at <= now()
    ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED`, [limit]);
}

export async function markQueued(tx: Db, id: string): Promise<void> {
  await tx.query(`UPDATE stage_runs SET state = 'queued', updated_at = now() WHERE id = $1::bigint`, [id]);
}

// Dead-lettered runs (list, lock, reset for replay) are in @msched/dead-letters: the CLI and the console replay them too.

/** Pending work per stage, for the queue-depth metric. */
export async function stageQueueDepth(db: Db): Promise<Array<{ stage: string; n: number }>> {
  return queryRows(db, `SELECT stage, count(*)::int AS n FROM stage_runs WHERE state IN ('queued', 'running', 'retry_wait') GROUP BY stage`);
}
