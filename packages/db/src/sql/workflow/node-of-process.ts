import { Db, queryOne } from '../db';

/** The workflow node a process runs, if the process belongs to a WORKFLOW experiment. */
export async function nodeOfProcess(tx: Db, processId: string): Promise<{ experimentId: string; nodeId: string } | undefined> {
  return queryOne(tx, 'SELECT experiment_id AS "experimentId", node_id AS "nodeId" FROM workflow_nodes WHERE process_id = $1', [processId]);
}
