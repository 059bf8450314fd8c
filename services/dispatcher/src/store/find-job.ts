import { Db, queryOne } from '@msched/db';
import { JOB_COLUMNS, type JobRow } from './rows';

/** One job without locking it (intake reads it before deciding what to lock). */
export async function findJob(db: Db, jobId: string): Promise<JobRow | undefined> {
  return queryOne<JobRow>(db, `SELECT ${JOB_COLUMNS} FROM jobs j JOIN experiments e ON e.id = j.experiment_id WHERE j.id = $1`, [jobId]);
}
