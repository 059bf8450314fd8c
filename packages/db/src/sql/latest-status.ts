import type { EntityType } from '../entities';
import { Db, queryOne } from './db';

export interface EntityStatus {
  entityId: string;
  experimentId: string;
  gatewayId: string;
  /** The user who launched the experiment (the owner, for authorization). */
  userName: string;
  state: string;
  reason: string | null;
  /** status_history id of the change (null when no history row exists). */
  statusId: string | null;
  at: Date;
}

const CURRENT: Record<Exclude<EntityType, 'task'>, string> = {
  experiment: 'SELECT e.id AS entity_id, e.id AS experiment_id, e.gateway_id, e.user_name, e.state, e.updated_at FROM experiments e WHERE e.id = $1',
  process: 'SELECT p.id AS entity_id, p.experiment_id, e.gateway_id, e.user_name, p.state, p.updated_at FROM processes p JOIN experiments e ON e.id = p.experiment_id WHERE p.id = $1',
  job: 'SELECT j.id AS entity_id, j.experiment_id, e.gateway_id, e.user_name, j.state, j.updated_at FROM jobs j JOIN experiments e ON e.id = j.experiment_id WHERE j.id = $1',
};

/**
 * The current state of an experiment, process or job with the reason and time of the latest
 * history row recording that state. Undefined when the entity does not exist.
 */
export async function latestStatus(db: Db, entityType: Exclude<EntityType, 'task'>, entityId: string): Promise<EntityStatus | undefined> {
  return queryOne<EntityStatus>(db, `
    SELECT c.entity_id AS "entityId", c.experiment_id AS "experimentId", c.gateway_id AS "gatewayId", c.user_name AS "userName", c.state,
           h.reason, h.id AS "statusId", coalesce(h.at, c.updated_at) AS at
    FROM (${CURRENT[entityType]}) c
    LEFT JOIN LATERAL (
      SELECT id, reason, at FROM status_history
      WHERE entity_type = $2 AND entity_id = c.entity_id AND state = c.state
      ORDER BY id DESC LIMIT 1) h ON true`, [entityId, entityType]);
}
