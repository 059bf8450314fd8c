import { Db, queryOne } from '@msched/db';
import type { GangSpec } from '@msched/model';
import type { JobRow } from './rows';

export interface NextAttempt {
  readonly id: string;
  readonly attempt: number;
}

/**
 * Inserts the job row of the next gang attempt of a process: same gang, its own id (Airavata sees a
 * new JobModel per attempt), state SUBMITTED until the caller moves it to QUEUED. It keeps the first
 * attempt's queue time so it goes back to the front of the queue. Returns undefined when that
 * attempt exists already (a replayed transaction).
 */
export async function insertNextAttempt(tx: Db, prev: JobRow, id: string, spec: GangSpec): Promise<NextAttempt | undefined> {
  const attempt = prev.attempt + 1;
  const row = await queryOne<{ id: string }>(tx, `
    INSERT INTO jobs (id, process_id, experiment_id, task_id, attempt, state, gang_spec, queued_at)
    VALUES ($1, $2, $3, $4, $5, 'SUBMITTED', $6::jsonb, $7)
    ON CONFLICT (process_id, attempt) DO NOTHING RETURNING id`,
  [id, prev.processId, prev.experimentId, prev.taskId, attempt, JSON.stringify(spec), prev.queuedAt ?? new Date()]);
  return row ? { id: row.id, attempt } : undefined;
}
