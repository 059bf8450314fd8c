import type { Db } from '../db';

export async function setWorkflowState(tx: Db, experimentId: string, state: string): Promise<void> {
  await tx.query('UPDATE workflows SET state = $2, updated_at = now() WHERE experiment_id = $1', [experimentId, state]);
}
