import type { Db } from '@msched/db';

/** What kind of failure ended the attempt: application, infrastructure, wall-time, unplaceable, invalid. */
export async function setFailureKind(tx: Db, jobId: string, kind: string): Promise<void> {
  await tx.query('UPDATE jobs SET failure_kind = $2 WHERE id = $1', [jobId, kind]);
}
