import { Db, gangSpecOf, launchModels } from '@msched/db';
import type { GangSpec } from '@msched/model';
import { LaunchWork, parseLaunch } from '../messages/launch';
import type { StageWork } from '@msched/model';

/**
 * The launch as the API stored it (experiments.model, processes.model), so every stage works from
 * the durable record rather than from a message that may be gone.
 */
export async function loadLaunch(db: Db, w: StageWork): Promise<LaunchWork> {
  const row = await launchModels(db, w.jobId);
  if (!row) throw new Error(`job ${w.jobId} is not in the job database`);
  return parseLaunch({
    experimentId: w.experimentId, processId: w.processId, jobId: w.jobId, taskId: w.taskId, attempt: row.attempt,
    gatewayId: w.gatewayId, userName: row.userName, experiment: row.experiment, process: row.process,
  });
}

export async function loadGangSpec(db: Db, jobId: string): Promise<GangSpec> {
  const spec = await gangSpecOf(db, jobId);
  if (!spec) throw new Error(`job ${jobId} has no gang spec yet (resolve has not run)`);
  return spec;
}
