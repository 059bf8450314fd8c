import { Db, lockState, lockWorkflow as lockWorkflowRow, lockWorkflowState, nodeOfProcess, type NodeRow, type WorkflowRow as StoredWorkflowRow } from '@msched/db';
import type { ApplicationState, FailurePolicy, WorkflowSpec } from '@msched/workflow';

export type { NodeRow } from '@msched/db';

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

export type WorkflowRow = StoredWorkflowRow<StoredSpec, FailurePolicy>;

/** Locks the workflow row (typed with the stored spec): concurrent ends of parallel branches decide one after the other. */
export async function lockWorkflow(tx: Db, experimentId: string): Promise<WorkflowRow | undefined> {
  return lockWorkflowRow<StoredSpec, FailurePolicy>(tx, experimentId);
}

export function applicationStates(nodes: readonly NodeRow[]): Map<string, ApplicationState> {
  return new Map(nodes.filter((n) => n.kind === 'APPLICATION').map((n) => [n.nodeId, n.state as ApplicationState]));
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
  await lockState(tx, 'experiment', node.experimentId);
  await lockWorkflowState(tx, node.experimentId);
}
