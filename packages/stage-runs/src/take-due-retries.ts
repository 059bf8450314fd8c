import { Db, queryRows } from '@msched/db';
import type { StageWork } from '@msched/model';

/** Locks and returns the retries whose time has come (other provisioners skip locked rows). */
export async function takeDueRetries(tx: Db, limit: number): Promise<Array<{ id: string; work: StageWork }>> {
  return queryRows(tx, `SELECT id::text AS id, work FROM stage_runs
    WHERE state = 'retry_wait' AND next_attempt_at <= now()
    ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED`, [limit]);
}
