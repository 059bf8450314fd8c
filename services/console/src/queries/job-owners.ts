import { Db, queryRows } from '@msched/db';

export interface JobOwnership {
  jobId: string;
  experimentId: string;
  gatewayId: string;
  userName: string;
}

/** Experiment, gateway and user of each job, for deciding who may see or change it. */
export async function ownersOfJobs(db: Db, jobIds: readonly string[]): Promise<Map<string, JobOwnership>> {
  if (jobIds.length === 0) return new Map();
  const rows = await queryRows<JobOwnership>(db, `
    SELECT j.id AS "jobId", j.experiment_id AS "experimentId", e.gateway_id AS "gatewayId", e.user_name AS "userName"
    FROM jobs j JOIN experiments e ON e.id = j.experiment_id WHERE j.id = ANY($1)`, [[...new Set(jobIds)]]);
  return new Map(rows.map((r) => [r.jobId, r]));
}
