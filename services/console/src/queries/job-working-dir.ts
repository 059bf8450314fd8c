import { Db, queryOne } from '@msched/db';

/** Where a job's outputs are collected (its working directory), for serving one of them. */
export async function jobWorkingDir(db: Db, jobId: string): Promise<string | undefined> {
  const r = await queryOne<{ dir: string | null }>(db, 'SELECT working_dir AS dir FROM jobs WHERE id = $1', [jobId]);
  return r?.dir ?? undefined;
}
