import { Db, queryOne } from '@msched/db';

/** In how many ms the soonest waiting retry comes due (negative when overdue); undefined when none waits. */
export async function nextRetryDueInMs(db: Db): Promise<number | undefined> {
  const soonest = await queryOne<{ ms: number | null }>(db, `SELECT (extract(epoch FROM min(next_attempt_at) - now()) * 1000)::float8 AS ms
    FROM stage_runs WHERE state = 'retry_wait'`);
  return soonest?.ms ?? undefined;
}
