import { Db, queryRows } from './db';

export interface JobRecord {
  id: string;
  processId: string;
  experimentId: string;
  taskId: string;
  attempt: number;
  state: string;
  gangSpec: Record<string, unknown> | null;
  reason: string | null;
  exitCode: number | null;
  failedRank: number | null;
  frameworkId: string | null;
  workingDir: string | null;
  stdOut: string | null;
  stdErr: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const JOB_COLUMNS = `j.id, j.process_id AS "processId", j.experiment_id AS "experimentId", j.task_id AS "taskId",
  j.attempt, j.state, j.gang_spec AS "gangSpec", j.reason, j.exit_code AS "exitCode", j.failed_rank AS "failedRank",
  j.framework_id AS "frameworkId", j.working_dir AS "workingDir", j.std_out AS "stdOut", j.std_err AS "stdErr",
  j.created_at AS "createdAt", j.updated_at AS "updatedAt"`;

/** Every job (launch attempt) of an experiment, oldest first. */
export async function jobsOfExperiment(db: Db, experimentId: string): Promise<JobRecord[]> {
  return queryRows<JobRecord>(db, `SELECT ${JOB_COLUMNS} FROM jobs j WHERE j.experiment_id = $1 ORDER BY j.created_at, j.attempt`, [experimentId]);
}
