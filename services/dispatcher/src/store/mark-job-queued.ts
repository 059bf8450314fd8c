import type { Db } from '@msched/db';
import type { GangSpec } from '@msched/model';

/** Keeps the gang a job runs as (first GangReady wins) and when it joined the queue. */
export async function storeGangSpec(tx: Db, jobId: string, spec: GangSpec): Promise<void> {
  await tx.query('UPDATE jobs SET gang_spec = coalesce(gang_spec, $2::jsonb), queued_at = coalesce(queued_at, now()) WHERE id = $1', [jobId, JSON.stringify(spec)]);
}
