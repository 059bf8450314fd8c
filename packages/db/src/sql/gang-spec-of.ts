import type { GangSpec } from '@msched/model';
import { Db, queryOne } from './db';

/** The gang spec stored on a job (saveGangSpec); null before the provisioner resolved it, undefined without the job. */
export async function gangSpecOf(db: Db, jobId: string): Promise<GangSpec | null | undefined> {
  const row = await queryOne<{ spec: GangSpec | null }>(db, 'SELECT gang_spec AS spec FROM jobs WHERE id = $1', [jobId]);
  return row ? row.spec : undefined;
}
