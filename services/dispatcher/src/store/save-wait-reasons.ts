import type { Db } from '@msched/db';

export interface WaitReason {
  readonly jobId: string;
  readonly reason: string;
}

/** "Why is my gang waiting", for every waiting gang at once; a gang that started meanwhile is left alone. */
export async function saveWaitReasons(db: Db, reasons: readonly WaitReason[]): Promise<void> {
  if (reasons.length === 0) return;
  await db.query(`
    UPDATE jobs j SET wait_reason = r.reason, wait_reason_at = now()
    FROM json_to_recordset($1::json) AS r(job_id text, reason text)
    WHERE j.id = r.job_id AND j.launched_at IS NULL AND j.settled_at IS NULL`,
  [JSON.stringify(reasons.map((r) => ({ job_id: r.jobId, reason: r.reason })))]);
}
