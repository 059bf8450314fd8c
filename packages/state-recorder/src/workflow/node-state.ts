import { appendWorkflowStatus, Db, enqueueOutbox, lockWorkflowNodeState, lockWorkflowState, setWorkflowNodeState, setWorkflowState } from '@msched/db';
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
  const previous = entity === 'workflow'
    ? await lockWorkflowState(tx, s.experimentId)
    : await lockWorkflowNodeState(tx, s.experimentId, o.nodeId);
  if (previous === undefined || previous === to || APPLICATION_TERMINAL.has(previous as ApplicationState)) return false;
  if (entity === 'workflow') await setWorkflowState(tx, s.experimentId, to);
  else await setWorkflowNodeState(tx, s.experimentId, o.nodeId, to, o.data);
  await appendWorkflowStatus(tx, {
    entityType: entity, entityId: entity === 'workflow' ? s.workflowId : `${s.workflowId}/${o.nodeId}`, experimentId: s.experimentId, state: to, reason: o.reason, source,
  });
  const event: WorkflowStatusEvent = {
    entity, state: to, previousState: previous, reason: o.reason, gatewayId: s.gatewayId, experimentId: s.experimentId,
    workflowId: s.workflowId, nodeId: o.nodeId, processId: o.processId, source, time: new Date().toISOString(),
  };
  await enqueueOutbox(tx, { topic: 'events', key: s.experimentId, type: WORKFLOW_STATUS_EVENT_TYPE, version: WORKFLOW_STATUS_EVENT_VERSION, payload: event });
  return true;
}
