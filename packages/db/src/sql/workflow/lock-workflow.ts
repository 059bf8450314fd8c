import { Db, queryOne } from '../db';

/** A workflow with what its steps need of its experiment; Spec and Policy are the caller's types for the stored JSON and enum. */
export interface WorkflowRow<Spec = unknown, Policy extends string = string> {
  experimentId: string;
  workflowId: string;
  state: string;
  policy: Policy;
  terminating: boolean;
  spec: Spec;
  gatewayId: string;
  userName: string;
  experimentState: string;
}

/** Locks the workflow row: concurrent ends of parallel branches decide one after the other. */
export async function lockWorkflow<Spec = unknown, Policy extends string = string>(tx: Db, experimentId: string): Promise<WorkflowRow<Spec, Policy> | undefined> {
  return queryOne<WorkflowRow<Spec, Policy>>(tx, `
    SELECT w.experiment_id AS "experimentId", w.workflow_id AS "workflowId", w.state, w.failure_policy AS policy, w.terminating, w.spec,
           e.gateway_id AS "gatewayId", e.user_name AS "userName", e.state AS "experimentState"
    FROM workflows w JOIN experiments e ON e.id = w.experiment_id WHERE w.experiment_id = $1 FOR UPDATE OF w`, [experimentId]);
}
