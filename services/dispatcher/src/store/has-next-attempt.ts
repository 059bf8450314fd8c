import { Db, queryOne } from '@msched/db';

/** True when the process has an attempt after this one (the attempt was retried). */
export async function hasNextAttempt(db: Db, processId: string, attempt: number): Promise<boolean> {
  return (await queryOne(db, 'SELECT 1 FROM jobs WHERE process_id = $1 AND attempt > $2 LIMIT 1', [processId, attempt])) !== undefined;
}
