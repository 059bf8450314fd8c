import { Db, queryRows } from '@msched/db';

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

/** What was last told to Airavata about each job's expected start (a new leader must not repeat it). */
export async function announcedStarts(db: Db, jobIds: readonly string[]): Promise<Map<string, { expectedStart: number; at: number }>> {
  if (jobIds.length === 0) return new Map();
  const rows = await queryRows<{ id: string; forMs: number; atMs: number }>(db, `
    SELECT id, (extract(epoch FROM start_announced_for) * 1000)::float8 AS "forMs", (extract(epoch FROM start_announced_at) * 1000)::float8 AS "atMs"
    FROM jobs WHERE id = ANY($1::text[]) AND start_announced_for IS NOT NULL`, [jobIds]);
  return new Map(rows.map((r) => [r.id, { expectedStart: Number(r.forMs), at: Number(r.atMs) }]));
}

/**
 * Records that the job's expected start was told at `at` (epoch ms), if it still waits (inside the
 * transaction that writes the announcement); false when it started, ended or is being canceled
 * meanwhile. `at` is the pass's own clock, the one the "at most every 5 minutes" rule reads it back
 * against: the database's now() was another clock, and a pass judged on its time then saw too
 * short a gap (a test with a clock of its own waited for an announcement that never came).
 */
export async function markStartAnnounced(tx: Db, jobId: string, expectedStart: number, at: number): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(tx, `
    UPDATE jobs SET start_announced_for = to_timestamp($2::float8 / 1000.0), start_announced_at = to_timestamp($3::float8 / 1000.0)
    WHERE id = $1 AND launched_at IS NULL AND settled_at IS NULL AND cancel_requested_at IS NULL
    RETURNING id`, [jobId, expectedStart, at]);
  return rows.length === 1;
}
