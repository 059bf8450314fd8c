import { Db, queryOne } from './db';

export interface LockedExperiment {
  id: string;
  gatewayId: string;
  userName: string;
  state: string;
  processId: string;
  processState: string;
  /** The latest job attempt of the process. */
  jobId: string;
  jobTaskId: string;
  jobState: string;
  attempt: number;
}

/**
 * Locks an experiment row (FOR UPDATE) for a state change and returns it with its process and
 * latest job. Writers that lock first are serialized per experiment, so their outbox messages are
 * written in the order their changes commit.
 */
export async function lockExperiment(tx: Db, experimentId: string): Promise<LockedExperiment | undefined> {
  return queryOne<LockedExperiment>(tx, `
    SELECT e.id, e.gateway_id AS "gatewayId", e.user_name AS "userName", e.state,
           p.id AS "processId", p.state AS "processState",
           j.id AS "jobId", j.task_id AS "jobTaskId", j.state AS "jobState", j.attempt
    FROM experiments e
    JOIN processes p ON p.experiment_id = e.id
    JOIN LATERAL (SELECT * FROM jobs WHERE process_id = p.id ORDER BY attempt DESC LIMIT 1) j ON true
    WHERE e.id = $1
    FOR UPDATE OF e`, [experimentId]);
}
