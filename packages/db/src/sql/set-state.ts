import type { EntityType } from '../entities';
import { Db, queryOne } from './db';

const TABLE: Record<EntityType, string> = { experiment: 'experiments', process: 'processes', job: 'jobs', task: 'tasks' };

/**
 * Sets the current state column of one entity (the history is appended separately with
 * appendStatus). Returns the previous state, or undefined when the entity does not exist.
 */
export async function setState(tx: Db, entityType: EntityType, entityId: string, state: string): Promise<string | undefined> {
  const row = await queryOne<{ previous: string }>(tx,
    `UPDATE ${TABLE[entityType]} t SET state = $2, updated_at = now()
     FROM (SELECT id, state AS previous FROM ${TABLE[entityType]} WHERE id = $1 FOR UPDATE) old
     WHERE t.id = old.id RETURNING old.previous`,
    [entityId, state]);
  return row?.previous;
}
