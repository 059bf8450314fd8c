import { Db, findLaunch, insertLaunch, isRetriableDbError, violatedConstraint } from '@msched/db';
import { InternalFault, InvalidRequest } from '../errors';
import type { LaunchPlan } from './plan';

export interface LaunchOutcome {
  experimentId: string;
  processId: string;
  jobId: string;
  /** false: the same launch had been recorded before; nothing new was written. */
  created: boolean;
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
