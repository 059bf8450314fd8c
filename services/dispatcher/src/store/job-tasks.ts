import { Db, queryRows } from '@msched/db';
import { TASK_COLUMNS, type TaskRow } from './rows';

/** The tasks of one gang attempt in launch order, locked when `lock` (inside the job's transaction). */
export async function jobTasks(db: Db, jobId: string, opts: { lock?: boolean } = {}): Promise<TaskRow[]> {
  return queryRows<TaskRow>(db, `SELECT ${TASK_COLUMNS} FROM tasks t WHERE t.job_id = $1 ORDER BY t.task_index, t.id${opts.lock ? ' FOR UPDATE' : ''}`, [jobId]);
}
