import type { Db } from '@msched/db';
import { inScope, isWholeScope, type ListScope } from './access';
import { experimentOwner } from '../queries/experiment-owner';
import { ownersOfJobs, type JobOwnership } from '../queries/job-owners';

export { ownersOfJobs, type JobOwnership };

/** The items (each of a job) whose job the scope covers, in their order; one owner query for all. */
export async function jobsInScope<T extends { jobId: string }>(db: Db, scope: ListScope, items: readonly T[]): Promise<T[]> {
  if (isWholeScope(scope)) return [...items];
  const owners = await ownersOfJobs(db, items.map((i) => i.jobId));
  return items.filter((i) => { const o = owners.get(i.jobId); return o !== undefined && inScope(scope, o); });
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
      p = experimentOwner(db, experimentId).then((o) => o !== undefined && inScope(o), () => false);
      if (known.size >= maxEntries) known.delete(known.keys().next().value as string);
      known.set(experimentId, p);
    }
    return p;
  };
}
