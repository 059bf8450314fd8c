import { Db, queryRows } from './db';

export interface ClaimedMessage {
  seq: string;
  id: string;
  /** Logical topic key. */
  topic: string;
  key: string;
  /** The envelope as JSON text, published as is. */
  envelope: string;
  attempts: number;
}

/**
 * Claims up to `limit` unsent outbox rows in insertion order, locking them (FOR UPDATE SKIP LOCKED)
 * until the caller's transaction ends so concurrent relays never take the same rows. A row is left
 * out while an older unsent row with the same key exists outside this batch (locked by another
 * relay or not yet visible), so one key's messages are never published out of order.
 * Must run inside a transaction.
 */
export async function claimOutboxBatch(tx: Db, limit: number): Promise<ClaimedMessage[]> {
  return queryRows<ClaimedMessage>(tx, `
    WITH candidates AS (
      SELECT seq, id, topic, message_key, envelope, attempts FROM outbox
      WHERE sent_at IS NULL
      ORDER BY seq
      LIMIT $1
      FOR UPDATE SKIP LOCKED
    )
    SELECT c.seq, c.id, c.topic, c.message_key AS key, c.envelope::text AS envelope, c.attempts
    FROM candidates c
    WHERE NOT EXISTS (
      SELECT 1 FROM outbox o
      WHERE o.sent_at IS NULL AND o.message_key = c.message_key AND o.seq < c.seq
        AND o.seq NOT IN (SELECT seq FROM candidates))
    ORDER BY c.seq`, [limit]);
}
