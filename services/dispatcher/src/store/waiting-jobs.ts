import { Db, queryRows } from '@msched/db';
import { JOB_COLUMNS, type JobRow } from './rows';

/** Gangs waiting for offers: queued with a gang, never launched, neither canceled nor settled. */
export async function waitingJobs(db: Db): Promise<JobRow[]> {
  return queryRows<JobRow>(db, `
    SELECT ${JOB_COLUMNS} FROM jobs j JOIN experiments e ON e.id = j.experiment_id
    WHERE j.settled_at IS NULL AND j.state = 'QUEUED' AND j.launched_at IS NULL
      AND j.gang_spec IS NOT NULL AND j.cancel_requested_at IS NULL
    ORDER BY j.queued_at, j.id`);
}
