import { Db, queryRows } from '@msched/db';

/**
 * Records a cancel request on every attempt of a process that has not settled, and returns their
 * ids. The first request's time and reason are kept.
 */
export async function markCancelRequested(tx: Db, processId: string, reason: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(tx, `
    UPDATE jobs SET cancel_requested_at = coalesce(cancel_requested_at, now()), cancel_reason = coalesce(cancel_reason, $2)
    WHERE process_id = $1 AND settled_at IS NULL RETURNING id`, [processId, reason]);
  return rows.map((r) => r.id);
}
