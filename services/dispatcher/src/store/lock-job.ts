import { Db, lockExperiment, queryOne } from '@msched/db';
import { JOB_COLUMNS, type JobRow } from './rows';

/**
 * Locks a job for a state change: its experiment row first, then the job row. Every dispatcher
 * transaction that writes status events locks in this order (as the API and the provisioner lock
 * the experiment first), so events of one experiment enter the outbox in commit order and two
 * writers never deadlock.
 */
export async function lockJob(tx: Db, jobId: string): Promise<JobRow | undefined> {
  const head = await queryOne<{ experimentId: string }>(tx, 'SELECT experiment_id AS "experimentId" FROM jobs WHERE id = $1', [jobId]);
  if (!head) return undefined;
  await lockExperiment(tx, head.experimentId);
  return queryOne<JobRow>(tx, `SELECT ${JOB_COLUMNS} FROM jobs j JOIN experiments e ON e.id = j.experiment_id WHERE j.id = $1 FOR UPDATE OF j`, [jobId]);
}
