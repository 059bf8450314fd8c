import { Db, queryRows } from '@msched/db';
import { JOB_COLUMNS, TASK_COLUMNS, type JobRow, type TaskRow } from './rows';

export interface LaunchedJob {
  readonly job: JobRow;
  readonly tasks: TaskRow[];
}

/** Gangs launched and not yet settled (running, or ending): what a new leader takes over. */
export async function launchedJobs(db: Db): Promise<LaunchedJob[]> {
  const jobs = await queryRows<JobRow>(db, `
    SELECT ${JOB_COLUMNS} FROM jobs j JOIN experiments e ON e.id = j.experiment_id
    WHERE j.settled_at IS NULL AND j.launched_at IS NOT NULL ORDER BY j.launched_at, j.id`);
  if (jobs.length === 0) return [];
  const tasks = await queryRows<TaskRow>(db, `SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.job_id = ANY($1::text[]) ORDER BY t.task_index, t.id`, [jobs.map((j) => j.id)]);
  return jobs.map((job) => ({ job, tasks: tasks.filter((t) => t.jobId === job.id) }));
}
