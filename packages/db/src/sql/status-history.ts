import type { EntityType } from '../entities';
import { Db, queryRows } from './db';

export interface HistoryEntry {
  id: string;
  entityType: EntityType;
  entityId: string;
  state: string;
  reason: string | null;
  source: string;
  at: Date;
}

/** Every status row of the given entities, oldest first. */
export async function statusHistory(db: Db, entityType: EntityType, entityIds: readonly string[]): Promise<HistoryEntry[]> {
  if (entityIds.length === 0) return [];
  return queryRows<HistoryEntry>(db, `
    SELECT id, entity_type AS "entityType", entity_id AS "entityId", state, reason, source, at
    FROM status_history WHERE entity_type = $1 AND entity_id = ANY($2::text[])
    ORDER BY id`, [entityType, entityIds]);
}
