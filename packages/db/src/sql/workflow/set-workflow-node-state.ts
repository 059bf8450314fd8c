import type { Db } from '../db';

/** Sets a node's state (and data when given), stamping when it was launched and when it ended. */
export async function setWorkflowNodeState(tx: Db, experimentId: string, nodeId: string | undefined, state: string, data: unknown): Promise<void> {
  await tx.query(`UPDATE workflow_nodes SET state = $3, updated_at = now(), data = coalesce($4::jsonb, data),
      launched_at = CASE WHEN $3 = 'LAUNCHED' THEN coalesce(launched_at, now()) ELSE launched_at END,
      ended_at = CASE WHEN $3 IN ('COMPLETED', 'FAILED', 'CANCELED') THEN now() ELSE ended_at END
    WHERE experiment_id = $1 AND node_id = $2`, [experimentId, nodeId, state, data === undefined ? null : JSON.stringify(data)]);
}
