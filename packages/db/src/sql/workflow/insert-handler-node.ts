import type { Db } from '../db';

/** Inserts a workflow's handler node with its data; a node inserted COMPLETED is stamped ended now. */
export async function insertHandlerNode(tx: Db, experimentId: string, nodeId: string, state: 'CREATED' | 'COMPLETED', data: unknown): Promise<void> {
  await tx.query(`INSERT INTO workflow_nodes (experiment_id, node_id, kind, state, data, ended_at) VALUES ($1, $2, 'HANDLER', $3, $4, CASE WHEN $3 = 'COMPLETED' THEN now() END)`,
    [experimentId, nodeId, state, JSON.stringify(data)]);
}
