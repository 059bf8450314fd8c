import type { Db } from '@msched/db';

export async function markQueued(tx: Db, id: string): Promise<void> {
  await tx.query(`UPDATE stage_runs SET state = 'queued', updated_at = now() WHERE id = $1::bigint`, [id]);
}
