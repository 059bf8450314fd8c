import type { Db } from '../db';

export interface NewWorkflowStatus {
  entityType: 'workflow' | 'application' | 'handler';
  /** The workflow's id, or `<workflowId>/<nodeId>` for a node. */
  entityId: string;
  experimentId: string;
  state: string;
  reason?: string | null;
  source: string;
}

/** Appends a workflow's or a node's state to the status history (append-only). */
export async function appendWorkflowStatus(tx: Db, s: NewWorkflowStatus): Promise<void> {
  await tx.query('INSERT INTO status_history (entity_type, entity_id, experiment_id, state, reason, source) VALUES ($1, $2, $3, $4, $5, $6)',
    [s.entityType, s.entityId, s.experimentId, s.state, s.reason ?? null, s.source]);
}
