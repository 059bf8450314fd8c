import { Db, queryOne } from './db';

/** The Airavata models a launch was accepted with (experiments.model, processes.model), by job. */
export interface LaunchModels {
  experiment: unknown;
  process: unknown;
  attempt: number;
  userName: string;
}

export async function launchModels(db: Db, jobId: string): Promise<LaunchModels | undefined> {
  return queryOne<LaunchModels>(db, `
    SELECT e.model AS experiment, p.model AS process, j.attempt, e.user_name AS "userName"
    FROM jobs j JOIN processes p ON p.id = j.process_id JOIN experiments e ON e.id = j.experiment_id WHERE j.id = $1`, [jobId]);
}
