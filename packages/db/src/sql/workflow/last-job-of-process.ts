import { Db, queryOne } from '../db';

export interface LastJob {
  id: string;
  taskId: string;
  state: string;
  workingDir: string | null;
  stdOut: string | null;
  stdErr: string | null;
}

/** The last job of a process with where its outputs were collected. */
export async function lastJobOf(tx: Db, processId: string): Promise<LastJob | undefined> {
  return queryOne(tx, `SELECT id, task_id AS "taskId", state, working_dir AS "workingDir", std_out AS "stdOut", std_err AS "stdErr"
    FROM jobs WHERE process_id = $1 ORDER BY attempt DESC LIMIT 1`, [processId]);
}
