import { Db } from './db';

/** Marks claimed rows sent (their attempt counted, the last error cleared); inside the claiming transaction. */
export async function markOutboxSent(tx: Db, seqs: readonly string[]): Promise<void> {
  await tx.query('UPDATE outbox SET sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE seq = ANY($1::bigint[])', [seqs]);
}
