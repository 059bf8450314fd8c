import type { Db } from '../db';

/** Inserts a workflow, CREATED: its DAG and launch information (spec) and the client's WorkflowModel (model). */
export async function insertWorkflow(tx: Db, w: { experimentId: string; workflowId: string; failurePolicy: string; spec: unknown; model: unknown }): Promise<void> {
  await tx.query(`INSERT INTO workflows (experiment_id, workflow_id, state, failure_policy, spec, model) VALUES ($1, $2, 'CREATED', $3, $4, $5)`,
    [w.experimentId, w.workflowId, w.failurePolicy, JSON.stringify(w.spec), JSON.stringify(w.model)]);
}
