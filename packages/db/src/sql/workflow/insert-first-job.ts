import { Db, queryOne } from '../db';

/**
 * Inserts attempt 1 of a process's job, SUBMITTED. Attempt 1 exists once per process: a second
 * insert inserts nothing and answers false.
 */
export async function insertFirstJob(tx: Db, j: { jobId: string; processId: string; experimentId: string; taskId: string; reason: string }): Promise<boolean> {
  const inserted = await queryOne<{ id: string }>(tx, `INSERT INTO jobs (id, process_id, experiment_id, task_id, attempt, state, reason)
    VALUES ($1, $2, $3, $4, 1, 'SUBMITTED', $5) ON CONFLICT (process_id, attempt) DO NOTHING RETURNING id`,
  [j.jobId, j.processId, j.experimentId, j.taskId, j.reason]);
  return inserted !== undefined;
}
