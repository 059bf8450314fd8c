import { Db, queryRows } from './db';

/**
 * Records that `consumer` has handled message `messageId`, in the consumer's own transaction.
 * Returns false when it already had: the caller then skips the work (that is how every consumer
 * stays idempotent under redelivery).
 */
export async function markProcessed(tx: Db, consumer: string, messageId: string): Promise<boolean> {
  const rows = await queryRows(tx,
    'INSERT INTO processed_messages (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1',
    [consumer, messageId]);
  return rows.length === 1;
}
