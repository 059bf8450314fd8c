import type { Db } from '@msched/db';

export interface WaitEstimate {
  readonly jobId: string;
  readonly reason: string;
  /** Epoch ms; undefined when the policy cannot tell. */
  readonly expectedStart: number | undefined;
}

/**
 * "Why is my gang waiting and when will it start", for many gangs in one statement; a gang that
 * started or ended meanwhile is left alone.
 */
export async function saveWaitEstimates(db: Db, estimates: readonly WaitEstimate[]): Promise<void> {
  if (estimates.length === 0) return;
  await db.query(`
    UPDATE jobs j SET wait_reason = r.reason, wait_reason_at = now(),
                      expected_start_at = CASE WHEN r.expected_ms IS NULL THEN NULL ELSE to_timestamp(r.expected_ms / 1000.0) END
    FROM json_to_recordset($1::json) AS r(job_id text, reason text, expected_ms float8)
    WHERE j.id = r.job_id AND j.launched_at IS NULL AND j.settled_at IS NULL`,
  [JSON.stringify(estimates.map((e) => ({ job_id: e.jobId, reason: e.reason, expected_ms: e.expectedStart ?? null })))]);
}

