import { Db } from './db';

/** Counts a failed attempt on claimed rows and keeps the error (first 2,000 characters); they are claimed again later. */
export async function markOutboxFailed(tx: Db, seqs: readonly string[], error: string): Promise<void> {
  await tx.query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE seq = ANY($1::bigint[])', [seqs, error.slice(0, 2000)]);
}
