import type { EntityType } from '../entities';
import { Db, queryOne } from './db';

export interface NewStatus {
  entityType: EntityType;
  entityId: string;
  experimentId: string;
  /** Airavata enum name of the entity's state (Mesos TaskState name for tasks). */
  state: string;
  reason?: string | null;
  /** Which service records it: api, provisioner, dispatcher, ... */
  source: string;
  /** Defaults to the database's now() (transaction start time). */
  at?: Date;
}

export interface StatusRecord {
  id: string;
  at: Date;
}

/** Appends one row to the status history (append-only: there is no update or delete). */
export async function appendStatus(tx: Db, s: NewStatus): Promise<StatusRecord> {
  const row = await queryOne<StatusRecord>(tx,
    `INSERT INTO status_history (entity_type, entity_id, experiment_id, state, reason, source, at)
     VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, now())) RETURNING id, at`,
    [s.entityType, s.entityId, s.experimentId, s.state, s.reason ?? null, s.source, s.at ?? null]);
  return row as StatusRecord;
}
