import { Db, queryOne, queryRows } from '@msched/db';
import type { ApplicationState, FailurePolicy, WorkflowSpec } from '@msched/workflow';

/** What the launch stores beside the DAG for each application: where and how it runs. */
export interface AppLaunchInfo {
  readonly computeResourceId: string;
  readonly queueName: string;
  readonly role?: string;
}

/** workflows.spec: the DAG plus, per application, its launch information. */
export interface StoredSpec extends WorkflowSpec {
  readonly launch: Readonly<Record<string, AppLaunchInfo>>;
}

export interface WorkflowRow {
  experimentId: string;
  workflowId: string;
  state: string;
  policy: FailurePolicy;
  terminating: boolean;
  spec: StoredSpec;
  gatewayId: string;
  userName: string;
  experimentState: string;
}

export interface NodeRow {
  nodeId: string;
  kind: 'APPLICATION' | 'HANDLER';
  processId: string | null;
  state: string;
  data: unknown;
}

/** Locks the workflow row: concurrent ends of parallel branches decide one after the other. */
export async function lockWorkflow(tx: Db, experimentId: string): Promise<WorkflowRow | undefined> {
  return queryOne<WorkflowRow>(tx, `
    SELECT w.experiment_id AS "experimentId", w.workflow_id AS "workflowId", w.state, w.failure_policy AS policy, w.terminating, w.spec,
           e.gateway_id AS "gatewayId", e.user_name AS "userName", e.state AS "experimentState"
    FROM workflows w JOIN experiments e ON e.id = w.experiment_id WHERE w.experiment_id = $1 FOR UPDATE OF w`, [experimentId]);
}

export async function loadNodes(tx: Db, experimentId: string): Promise<NodeRow[]> {
  return queryRows<NodeRow>(tx, `SELECT node_id AS "nodeId", kind, process_id AS "processId", state, data
    FROM workflow_nodes WHERE experiment_id = $1 ORDER BY created_at, node_id`, [experimentId]);
}

export function applicationStates(nodes: readonly NodeRow[]): Map<string, ApplicationState> {
  return new Map(nodes.filter((n) => n.kind === 'APPLICATION').map((n) => [n.nodeId, n.state as ApplicationState]));
}

/** The workflow node a process runs, if the process belongs to a WORKFLOW experiment. */
export async function nodeOfProcess(tx: Db, processId: string): Promise<{ experimentId: string; nodeId: string } | undefined> {
  return queryOne(tx, 'SELECT experiment_id AS "experimentId", node_id AS "nodeId" FROM workflow_nodes WHERE process_id = $1', [processId]);
}

/** The last job of a process with where its outputs were collected. */
export async function lastJobOf(tx: Db, processId: string): Promise<{ id: string; taskId: string; state: string; workingDir: string | null; stdOut: string | null; stdErr: string | null } | undefined> {
  return queryOne(tx, `SELECT id, task_id AS "taskId", state, working_dir AS "workingDir", std_out AS "stdOut", std_err AS "stdErr"
    FROM jobs WHERE process_id = $1 ORDER BY attempt DESC LIMIT 1`, [processId]);
}

/**
 * Before a workflow's process row is locked: lock its experiment, then its workflow, the order
 * every writer of a workflow takes (the API's launch and terminate, the dispatcher, advanceWorkflow
 * cancelling other applications' processes). Without it two branches ending together could each
 * hold one process and wait for the other's. No-op for a process outside any workflow.
 */
export async function lockWorkflowOfProcess(tx: Db, processId: string): Promise<void> {
  const node = await nodeOfProcess(tx, processId);
  if (!node) return;
  await tx.query('SELECT 1 FROM experiments WHERE id = $1 FOR UPDATE', [node.experimentId]);
  await tx.query('SELECT 1 FROM workflows WHERE experiment_id = $1 FOR UPDATE', [node.experimentId]);
}
