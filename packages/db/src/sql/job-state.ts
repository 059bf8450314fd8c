import { Db, queryOne } from './db';

/** A job's state and the reason it was given; undefined without the job. */
export async function jobState(db: Db, jobId: string): Promise<{ state: string; reason: string | null } | undefined> {
  return queryOne<{ state: string; reason: string | null }>(db, 'SELECT state, reason FROM jobs WHERE id = $1', [jobId]);
}
