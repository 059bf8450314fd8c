import { Db, queryRows } from '../db';

export interface NodeRow {
  nodeId: string;
  kind: 'APPLICATION' | 'HANDLER';
  processId: string | null;
  state: string;
  data: unknown;
}

/** The nodes of a workflow in the order they were created. */
export async function workflowNodes(tx: Db, experimentId: string): Promise<NodeRow[]> {
  return queryRows<NodeRow>(tx, `SELECT node_id AS "nodeId", kind, process_id AS "processId", state, data
    FROM workflow_nodes WHERE experiment_id = $1 ORDER BY created_at, node_id`, [experimentId]);
}
