import { Db, queryOne } from '../db';
import type { NewExperiment } from '../new-experiment';

/** A WORKFLOW experiment's row (inserted LAUNCHED). */
export type NewWorkflowExperiment = NewExperiment;

/** Inserts a WORKFLOW experiment, LAUNCHED; false when the id exists already (nothing changes). */
export async function insertWorkflowExperiment(tx: Db, e: NewWorkflowExperiment): Promise<boolean> {
  const created = await queryOne<{ id: string }>(tx, `
    INSERT INTO experiments (id, gateway_id, user_name, project_id, name, payload_hash, model, state)
    VALUES ($1, $2, $3, $4, $5, $6, $7, 'LAUNCHED') ON CONFLICT (id) DO NOTHING RETURNING id`,
  [e.id, e.gatewayId, e.userName, e.projectId, e.name, e.payloadHash, JSON.stringify(e.model)]);
  return created !== undefined;
}
