import { Db, queryOne } from './db';

export interface LaunchIds {
  experimentId: string;
  gatewayId: string;
  payloadHash: string;
  processId: string;
  jobId: string;
  state: string;
}

/** The ids made by the first launch of an experiment (its first process and job attempt 1). */
export async function findLaunch(db: Db, experimentId: string): Promise<LaunchIds | undefined> {
  return queryOne<LaunchIds>(db, `
    SELECT e.id AS "experimentId", e.gateway_id AS "gatewayId", e.payload_hash AS "payloadHash", e.state,
           p.id AS "processId", j.id AS "jobId"
    FROM experiments e
    JOIN processes p ON p.experiment_id = e.id
    JOIN jobs j ON j.process_id = p.id AND j.attempt = 1
    WHERE e.id = $1
    ORDER BY p.created_at
    LIMIT 1`, [experimentId]);
}
