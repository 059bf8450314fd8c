import { Db, queryOne } from '@msched/db';

/** The experiment and gateway a job belongs to, for cancel. */
export async function jobOwner(db: Db, jobId: string): Promise<{ experimentId: string; gatewayId: string } | undefined> {
  return queryOne(db, `SELECT j.experiment_id AS "experimentId", e.gateway_id AS "gatewayId"
    FROM jobs j JOIN experiments e ON e.id = j.experiment_id WHERE j.id = $1`, [jobId]);
}
