import type { DataSource } from 'typeorm';

export interface WorkflowNodeDetail {
  nodeId: string;
  kind: 'APPLICATION' | 'HANDLER';
  state: string;
  processId: string | null;
  processState: string | null;
  jobId: string | null;
  jobState: string | null;
  attempt: number | null;
  launchedAt: Date | null;
  endedAt: Date | null;
  data: unknown;
}

export interface WorkflowDetail {
  experimentId: string;
  workflowId: string;
  state: string;
  experimentState: string;
  failurePolicy: string;
  terminating: boolean;
  spec: unknown;
  nodes: WorkflowNodeDetail[];
}

/** A workflow by experiment id or AiravataWorkflow id, with each node's process and latest job. */
export async function workflowDetail(ds: DataSource, id: string): Promise<WorkflowDetail | undefined> {
  const [w] = await ds.query(`SELECT w.experiment_id AS "experimentId", w.workflow_id AS "workflowId", w.state, e.state AS "experimentState",
      w.failure_policy AS "failurePolicy", w.terminating, w.spec
    FROM workflows w JOIN experiments e ON e.id = w.experiment_id WHERE w.experiment_id = $1 OR w.workflow_id = $1 LIMIT 1`, [id]);
  if (!w) return undefined;
  const nodes: WorkflowNodeDetail[] = await ds.query(`SELECT n.node_id AS "nodeId", n.kind, n.state, n.process_id AS "processId", p.state AS "processState",
      j.id AS "jobId", j.state AS "jobState", j.attempt, n.launched_at AS "launchedAt", n.ended_at AS "endedAt", n.data
    FROM workflow_nodes n LEFT JOIN processes p ON p.id = n.process_id
    LEFT JOIN LATERAL (SELECT id, state, attempt FROM jobs WHERE process_id = n.process_id ORDER BY attempt DESC LIMIT 1) j ON true
    WHERE n.experiment_id = $1 ORDER BY n.kind, n.node_id`, [w.experimentId]);
  return { ...w, nodes };
}

export async function listWorkflows(ds: DataSource, limit: number): Promise<Array<{ experimentId: string; workflowId: string; state: string; failurePolicy: string; applications: number; done: number; updatedAt: Date }>> {
  return ds.query(`SELECT w.experiment_id AS "experimentId", w.workflow_id AS "workflowId", w.state, w.failure_policy AS "failurePolicy",
      count(n.*) FILTER (WHERE n.kind = 'APPLICATION')::int AS applications,
      count(n.*) FILTER (WHERE n.kind = 'APPLICATION' AND n.state = 'COMPLETED')::int AS done, w.updated_at AS "updatedAt"
    FROM workflows w LEFT JOIN workflow_nodes n ON n.experiment_id = w.experiment_id
    GROUP BY w.experiment_id ORDER BY w.updated_at DESC LIMIT $1`, [limit]);
}
