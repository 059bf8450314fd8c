import { Db, queryOne } from './db';

/** How many outbox messages are not sent yet (all topics). */
export async function countUnsentOutbox(db: Db): Promise<number> {
  return Number((await queryOne<{ n: string }>(db, 'SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL'))?.n ?? 0);
}
