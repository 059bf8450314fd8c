import { Db, queryRows } from './db';

/** Deletes up to `limit` messages sent before `before`; returns how many. */
export async function purgeSentOutbox(db: Db, before: Date, limit = 10000): Promise<number> {
  const rows = await queryRows(db, `
    DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE sent_at < $1 ORDER BY seq LIMIT $2) RETURNING 1`, [before, limit]);
  return rows.length;
}
