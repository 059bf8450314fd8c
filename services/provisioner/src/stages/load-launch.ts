import { Db, queryOne } from '@msched/db';
import type { GangSpec } from '@msched/model';
import { LaunchWork, parseLaunch } from '../messages/launch';
import type { StageWork } from '../messages/stage-work';

/**
 * The launch as the API stored it (experiments.model, processes.model), so every stage works from
 * the durable record rather than from a message that may be gone.
 */
export async function loadLaunch(db: Db, w: StageWork): Promise<LaunchWork> {
  const row = await queryOne<{ experiment: unknown; process: unknown; attempt: number; userName: string }>(db, `
    SELECT e.model AS experiment, p.model AS process, j.attempt, e.user_name AS "userName"
    FROM jobs j JOIN processes p ON p.id = j.process_id JOIN experiments e ON e.id = j.experiment_id WHERE j.id = $1`, [w.jobId]);
  if (!row) throw new Error(`job ${w.jobId} is not in the job database`);
  return parseLaunch({
    experimentId: w.experimentId, processId: w.processId, jobId: w.jobId, taskId: w.taskId, attempt: row.attempt,
    gatewayId: w.gatewayId, userName: row.userName, experiment: row.experiment, process: row.process,
  });
}

export async function loadGangSpec(db: Db, jobId: string): Promise<GangSpec> {
  const row = await queryOne<{ spec: GangSpec | null }>(db, 'SELECT gang_spec AS spec FROM jobs WHERE id = $1', [jobId]);
  if (!row?.spec) throw new Error(`job ${jobId} has no gang spec yet (resolve has not run)`);
  return row.spec;
}
