import { Db, queryRows } from '@msched/db';

/** What was last told to Airavata about each job's expected start (a new leader must not repeat it). */
export async function announcedStarts(db: Db, jobIds: readonly string[]): Promise<Map<string, { expectedStart: number; at: number }>> {
  if (jobIds.length === 0) return new Map();
  const rows = await queryRows<{ id: string; forMs: number; atMs: number }>(db, `
    SELECT id, (extract(epoch FROM start_announced_for) * 1000)::float8 AS "forMs", (extract(epoch FROM start_announced_at) * 1000)::float8 AS "atMs"
    FROM jobs WHERE id = ANY($1::text[]) AND start_announced_for IS NOT NULL`, [jobIds]);
  return new Map(rows.map((r) => [r.id, { expectedStart: Number(r.forMs), at: Number(r.atMs) }]));
}
