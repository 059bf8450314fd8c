import { Db, queryRows } from '@msched/db';

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
