import { Db, queryRows } from '@msched/db';

export interface JobOwnership {
  jobId: string;
  experimentId: string;
  gatewayId: string;
  userName: string;
}

/** Gateway and user of each job, for deciding who may see or change it. */
export async function ownersOfJobs(db: Db, jobIds: readonly string[]): Promise<Map<string, JobOwnership>> {
  if (jobIds.length === 0) return new Map();
  const rows = await queryRows<JobOwnership>(db, `
    SELECT j.id AS "jobId", j.experiment_id AS "experimentId", e.gateway_id AS "gatewayId", e.user_name AS "userName"
    FROM jobs j JOIN experiments e ON e.id = j.experiment_id WHERE j.id = ANY($1)`, [[...new Set(jobIds)]]);
  return new Map(rows.map((r) => [r.jobId, r]));
}

export async function ownerOfJob(db: Db, jobId: string): Promise<JobOwnership | undefined> {
  return (await ownersOfJobs(db, [jobId])).get(jobId);
}

/**
 * Whether each experiment is in a scope, asked once per experiment and remembered (bounded, oldest
 * first out). The answer is kept as a promise, so events of one experiment stay in order.
 */
export function experimentVisibility(db: Db, inScope: (o: { gatewayId: string; userName: string }) => boolean, maxEntries = 10_000): (experimentId: string) => Promise<boolean> {
  const known = new Map<string, Promise<boolean>>();
  return (experimentId) => {
    let p = known.get(experimentId);
    if (!p) {
      p = queryRows<{ gatewayId: string; userName: string }>(db, 'SELECT gateway_id AS "gatewayId", user_name AS "userName" FROM experiments WHERE id = $1', [experimentId])
        .then(([o]) => o !== undefined && inScope(o), () => false);
      if (known.size >= maxEntries) known.delete(known.keys().next().value as string);
      known.set(experimentId, p);
    }
    return p;
  };
}
