import { Db, queryOne } from '@msched/db';

export interface TaskOwner {
  readonly jobId: string;
  readonly attempt: number;
  readonly sandboxKnown: boolean;
}

/** The job a Mesos task belongs to; undefined for a task this installation never launched. */
export async function jobOfTask(db: Db, taskId: string): Promise<TaskOwner | undefined> {
  return queryOne<TaskOwner>(db, `SELECT t.job_id AS "jobId", j.attempt, t.sandbox_path IS NOT NULL AS "sandboxKnown"
    FROM tasks t JOIN jobs j ON j.id = t.job_id WHERE t.id = $1`, [taskId]);
}
