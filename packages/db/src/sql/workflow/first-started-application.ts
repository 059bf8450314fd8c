import { Db, queryOne } from '../db';

/** The first application a workflow started and its first job (what a workflow launch reports). */
export async function firstStartedApplication(tx: Db, experimentId: string): Promise<{ processId: string; jobId: string } | undefined> {
  return queryOne<{ processId: string; jobId: string }>(tx, `
    SELECT j.process_id AS "processId", j.id AS "jobId" FROM jobs j JOIN workflow_nodes n ON n.process_id = j.process_id
    WHERE j.experiment_id = $1 ORDER BY j.attempt, n.launched_at, n.node_id LIMIT 1`, [experimentId]);
}
