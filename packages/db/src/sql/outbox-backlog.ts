import { Db, queryRows } from './db';

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
