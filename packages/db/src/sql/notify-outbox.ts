import type { Db } from './db';

/** The channel outbox relays LISTEN on. */
export const OUTBOX_CHANNEL = 'msched_outbox';

/**
 * Wakes the outbox relays of other processes after the caller COMMITTED outbox rows. Deliberately
 * not a trigger inside the writing transaction: a NOTIFY there makes PostgreSQL serialize every
 * such commit (measured here: ~800 commits/s with it against ~7000 without). Writers that run a
 * relay in their own process wake it directly instead (wakeOutboxRelays in @msched/outbox);
 * relays also poll, so a missed notification only delays.
 */
export async function notifyOutbox(db: Db): Promise<void> {
  await db.query('SELECT pg_notify($1, \'\')', [OUTBOX_CHANNEL]);
}
