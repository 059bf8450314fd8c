import type { Db } from '@msched/db';

/** Records when the job joined the queue (the first time only: a new attempt keeps its place). */
export async function markJobQueued(tx: Db, jobId: string): Promise<void> {
  await tx.query('UPDATE jobs SET queued_at = coalesce(queued_at, now()) WHERE id = $1', [jobId]);
}
