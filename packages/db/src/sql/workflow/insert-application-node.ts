import type { Db } from '../db';

/** Inserts a workflow's application node, CREATED, run by the given process. */
export async function insertApplicationNode(tx: Db, experimentId: string, nodeId: string, processId: string): Promise<void> {
  await tx.query(`INSERT INTO workflow_nodes (experiment_id, node_id, kind, process_id, state) VALUES ($1, $2, 'APPLICATION', $3, 'CREATED')`, [experimentId, nodeId, processId]);
}
