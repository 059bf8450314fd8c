import { Db, queryOne, queryRows } from '@msched/db';
import type { StageName, StageWork } from '@msched/model';

/** A stage_runs row in state dead: out of attempts, its work kept for a replay. */
export interface DeadStageRun {
  id: string;
  stage: StageName;
  jobId: string;
  processId: string;
  experimentId: string;
  attempts: number;
  lastError: string;
  deadAt: Date;
  work: StageWork;
}

export async function listDeadStageRuns(db: Db): Promise<DeadStageRun[]> {
  return queryRows(db, `SELECT s.id::text AS id, s.stage, s.job_id AS "jobId", s.process_id AS "processId", p.experiment_id AS "experimentId",
      s.attempts, s.last_error AS "lastError", s.dead_at AS "deadAt", s.work
    FROM stage_runs s JOIN processes p ON p.id = s.process_id WHERE s.state = 'dead' ORDER BY s.dead_at, s.id`);
}

/** Locks one dead-lettered run for replay; undefined when there is none with that id. */
export async function lockDeadStageRun(tx: Db, id: string): Promise<DeadStageRun | undefined> {
  if (!/^\d+$/.test(id)) return undefined;
  return queryOne(tx, `SELECT s.id::text AS id, s.stage, s.job_id AS "jobId", s.process_id AS "processId", p.experiment_id AS "experimentId",
      s.attempts, s.last_error AS "lastError", s.dead_at AS "deadAt", s.work
    FROM stage_runs s JOIN processes p ON p.id = s.process_id WHERE s.id = $1::bigint AND s.state = 'dead' FOR UPDATE OF s`, [id]);
}

export async function resetForReplay(tx: Db, id: string): Promise<void> {
  await tx.query(`UPDATE stage_runs SET state = 'queued', attempts = 0, replayed_at = now(), dead_at = NULL, updated_at = now() WHERE id = $1::bigint`, [id]);
}
