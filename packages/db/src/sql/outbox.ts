import { Db, queryOne, queryRows } from './db';

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

export async function markOutboxSent(tx: Db, seqs: readonly string[]): Promise<void> {
  await tx.query('UPDATE outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE seq = ANY($1::bigint[])', [seqs]);
}

export async function markOutboxFailed(tx: Db, seqs: readonly string[], error: string): Promise<void> {
  await tx.query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = ANY($1::bigint[])', [seqs, error.slice(0, 2000)]);
}

export interface OutboxBacklog {
  topic: string;
  unsent: number;
  oldest: Date;
  maxAttempts: number;
  lastError: string | null;
}

/** Unsent messages per topic (view outbox_backlog). */
export async function outboxBacklog(db: Db): Promise<OutboxBacklog[]> {
  return queryRows<OutboxBacklog>(db, 'SELECT topic, unsent, oldest, max_attempts AS "maxAttempts", last_error AS "lastError" FROM outbox_backlog ORDER BY topic');
}

export async function countUnsentOutbox(db: Db): Promise<number> {
  return Number((await queryOne<{ n: string }>(db, 'SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL'))?.n ?? 0);
}

/** Deletes up to `limit` messages sent before `before`; returns how many. */
export async function purgeSentOutbox(db: Db, before: Date, limit = 10000): Promise<number> {
  const rows = await queryRows(db, `
    DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE sent_at < $1 ORDER BY seq LIMIT $2) RETURNING 1`, [before, limit]);
  return rows.length;
}
