import { Db, enqueueOutbox, queryOne } from '@msched/db';
import { WORKFLOW_STATUS_EVENT_TYPE, WORKFLOW_STATUS_EVENT_VERSION, WorkflowEntity, WorkflowStatusEvent } from '@msched/model';
import { APPLICATION_TERMINAL, ApplicationState } from '@msched/workflow';

export interface WorkflowSubject {
  gatewayId: string;
  experimentId: string;
  workflowId: string;
}

type Source = WorkflowStatusEvent['source'];

/**
 * Sets a workflow's or a node's state in the caller's transaction, appends the history row and
 * queues the status event. Ended states are final: a change after one is ignored (false).
 */
export async function setWorkflowEntityState(
  tx: Db, entity: WorkflowEntity, s: WorkflowSubject, to: string, source: Source,
  o: { nodeId?: string; processId?: string; reason?: string; data?: unknown } = {},
): Promise<boolean> {
  const row = entity === 'workflow'
    ? await queryOne<{ state: string }>(tx, 'SELECT state FROM workflows WHERE experiment_id = $1 FOR UPDATE', [s.experimentId])
    : await queryOne<{ state: string }>(tx, 'SELECT state FROM workflow_nodes WHERE experiment_id = $1 AND node_id = $2 FOR UPDATE', [s.experimentId, o.nodeId]);
  if (!row || row.state === to || APPLICATION_TERMINAL.has(row.state as ApplicationState)) return false;
  if (entity === 'workflow') {
    await tx.query('UPDATE workflows SET state = $2, updated_at = now() WHERE experiment_id = $1', [s.experimentId, to]);
  } else {
    await tx.query(`UPDATE workflow_nodes SET state = $3, updated_at = now(), data = coalesce($4::jsonb, data),
        launched_at = CASE WHEN $3 = 'LAUNCHED' THEN coalesce(launched_at, now()) ELSE launched_at END,
        ended_at = CASE WHEN $3 IN ('COMPLETED', 'FAILED', 'CANCELED') THEN now() ELSE ended_at END
      WHERE experiment_id = $1 AND node_id = $2`, [s.experimentId, o.nodeId, to, o.data === undefined ? null : JSON.stringify(o.data)]);
  }
  await tx.query(`INSERT INTO status_history (entity_type, entity_id, experiment_id, state, reason, source) VALUES ($1, $2, $3, $4, $5, $6)`,
    [entity, entity === 'workflow' ? s.workflowId : `${s.workflowId}/${o.nodeId}`, s.experimentId, to, o.reason ?? null, source]);
  const event: WorkflowStatusEvent = {
    entity, state: to, previousState: row.state, reason: o.reason, gatewayId: s.gatewayId, experimentId: s.experimentId,
    workflowId: s.workflowId, nodeId: o.nodeId, processId: o.processId, source, time: new Date().toISOString(),
  };
  await enqueueOutbox(tx, { topic: 'events', key: s.experimentId, type: WORKFLOW_STATUS_EVENT_TYPE, version: WORKFLOW_STATUS_EVENT_VERSION, payload: event });
  return true;
}
