import { Db, queryRows } from '@msched/db';

/** Pending work per stage, for the queue-depth metric. */
export async function stageQueueDepth(db: Db): Promise<Array<{ stage: string; n: number }>> {
  return queryRows(db, `SELECT stage, count(*)::int AS n FROM stage_runs WHERE state IN ('queued', 'running', 'retry_wait') GROUP BY stage`);
}
