/**
 * Workflow status events (topic `<prefix>events`, envelope type WORKFLOW_STATUS_EVENT_TYPE): a
 * WORKFLOW experiment's workflow, applications and handlers changing state, in Airavata's
 * WorkflowExecutionState / ApplicationState / HandlerState names. Written to the outbox in the transaction
 * that makes the change, keyed by experimentId like every status event. A separate type, so the
 * Airavata publishers (which know experiment, process, task and job events) pass them by.
 * docs/events.md documents them.
 */
export const WORKFLOW_STATUS_EVENT_TYPE = 'workflow.status.changed';
export const WORKFLOW_STATUS_EVENT_VERSION = 1;

export type WorkflowEntity = 'workflow' | 'application' | 'handler';

export interface WorkflowStatusEvent {
  readonly entity: WorkflowEntity;
  readonly state: string;
  readonly previousState?: string;
  readonly reason?: string;
  readonly gatewayId: string;
  readonly experimentId: string;
  /** AiravataWorkflow.id. */
  readonly workflowId: string;
  /** WorkflowApplication.id or WorkflowHandler.id (application and handler events). */
  readonly nodeId?: string;
  /** The process an application runs as (application events). */
  readonly processId?: string;
  readonly source: 'api' | 'provisioner' | 'dispatcher';
  readonly time: string;
}
