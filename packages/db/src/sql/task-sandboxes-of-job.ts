import type { Db } from './db';

export interface TaskSandboxRow {
  id: string;
  sandbox_path: string | null;
  /** The job's framework (the same on every row): where to look up sandboxes not recorded. */
  framework_id: string | null;
}

/** The tasks of a job with the sandbox recorded for each (null when none is known yet). */
export async function taskSandboxesOfJob(db: Db, jobId: string): Promise<TaskSandboxRow[]> {
  return db.query('SELECT t.id, t.sandbox_path, j.framework_id FROM tasks t JOIN jobs j ON j.id = t.job_id WHERE t.job_id = $1', [jobId]);
}
