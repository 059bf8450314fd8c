import { Db, queryOne } from '../db';

/** Locks a workflow node's row (FOR UPDATE) and returns its state; undefined when there is none. */
export async function lockWorkflowNodeState(tx: Db, experimentId: string, nodeId: string | undefined): Promise<string | undefined> {
  return (await queryOne<{ state: string }>(tx, 'SELECT state FROM workflow_nodes WHERE experiment_id = $1 AND node_id = $2 FOR UPDATE', [experimentId, nodeId]))?.state;
}
