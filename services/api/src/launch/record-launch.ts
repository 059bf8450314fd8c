import type { DataSource } from 'typeorm';
import { Db, findLaunch, insertLaunch, isRetriableDbError, violatedConstraint, withTransaction } from '@msched/db';
import { InternalFault, InvalidRequest, QuotaExceeded } from '../errors';
import type { LaunchPlan } from './plan';
import { checkWaitingQuota } from './waiting-quota';

export interface LaunchOutcome {
  experimentId: string;
  processId: string;
  jobId: string;
  /** false: the same launch had been recorded before; nothing new was written. */
  created: boolean;
}

/**
 * Records a planned launch. With a waiting-gangs quota for its gateway the quota check and the
 * insert share one transaction under the gateway's launch lock; a refusal writes nothing.
 */
export async function recordLaunchWithinQuota(ds: DataSource, plan: LaunchPlan, maxWaitingGangs: number | undefined): Promise<LaunchOutcome> {
  if (maxWaitingGangs === undefined) return recordLaunch(ds, plan);
  const e = plan.launch.experiment;
  try {
    return await withTransaction(ds, async (tx) => {
      await checkWaitingQuota(tx, { gatewayId: e.gatewayId, experimentId: e.id, maxWaitingGangs });
      return recordLaunch(tx, plan);
    });
  } catch (err) {
    if (err instanceof QuotaExceeded || err instanceof InvalidRequest || err instanceof InternalFault) throw err;
    throw new InternalFault(`recording the launch failed: ${(err as Error).message}`, isRetriableDbError(err), err);
  }
}

/**
 * Records a planned launch in one atomic statement. When the experiment was launched before, the
 * earlier ids are returned if the payload is the same, and the launch is refused if it differs.
 */
export async function recordLaunch(db: Db, plan: LaunchPlan): Promise<LaunchOutcome> {
  let created: boolean;
  try {
    created = await insertLaunch(db, plan.launch);
  } catch (e) {
    if (violatedConstraint(e) === 'processes_pkey') {
      throw new InvalidRequest(`processId "${plan.ids.processId}" already belongs to another experiment`);
    }
    throw new InternalFault(`recording the launch failed: ${(e as Error).message}`, isRetriableDbError(e), e);
  }
  if (created) return { ...plan.ids, created: true };
  return repeatedLaunch(db, plan);
}

/** A launch whose experiment id was taken: the earlier ids when the payload is the same, else refused. */
export async function repeatedLaunch(db: Db, plan: LaunchPlan): Promise<LaunchOutcome> {
  const earlier = await findLaunch(db, plan.ids.experimentId);
  if (!earlier) throw new InternalFault(`experiment ${plan.ids.experimentId} exists without its process and job`, false);
  if (earlier.payloadHash !== plan.payloadHash) {
    throw new InvalidRequest(`experiment "${plan.ids.experimentId}" was already launched with a different ExperimentModel; a repeated launch must send the same one`);
  }
  return { experimentId: earlier.experimentId, processId: earlier.processId, jobId: earlier.jobId, created: false };
}
