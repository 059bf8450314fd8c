import type { Db } from '@msched/db';

export async function resetForReplay(tx: Db, id: string): Promise<void> {
  await tx.query(`UPDATE stage_runs SET state = 'queued', attempts = 0, replayed_at = now(), dead_at = NULL, updated_at = now() WHERE id = $1::bigint`, [id]);
}
