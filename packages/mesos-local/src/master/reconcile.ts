import type { TaskState, TaskStatus } from '../protocol/mesos-types';
import { stateForFramework } from '../protocol/task-states';

/** How the master currently regards an agent, as far as reconciliation cares. */
export type AgentStanding = 'registered' | 'recovering' | 'unreachable' | 'gone' | 'unknown';

export interface KnownTask { taskId: string; agentId: string; executorId?: string; state: TaskState; latest?: TaskStatus }

export interface ReconcileInput {
  partitionAware: boolean;
  /** Every task of the framework the master knows, terminal ones not yet acknowledged included. */
  knownTasks: readonly KnownTask[];
  agentStanding(agentId: string): AgentStanding;
  /** True while agents from the registry have not re-registered after a master failover. */
  anyAgentRecovering: boolean;
  now: number;
}

/**
 * The answers a master gives to RECONCILE, pure. Implicit (no tasks): the latest state of every
 * known task. Explicit: the latest state of known tasks; for unknown ones an answer that depends
 * on the agent (GONE if registered, UNREACHABLE, GONE_BY_OPERATOR, UNKNOWN), or no answer at all
 * while the agent may still come back after a master failover. Non-partition-aware frameworks see
 * TASK_LOST in place of the partition-aware states. Master-made: source MASTER, no uuid.
 */
export function reconcileAnswers(input: ReconcileInput, requested: ReadonlyArray<{ taskId: string; agentId?: string }>): TaskStatus[] {
  const answer = (taskId: string, agentId: string | undefined, state: TaskState, message: string, latest?: TaskStatus, executorId?: string): TaskStatus => {
    const s: TaskStatus = {
      task_id: { value: taskId },
      state: stateForFramework(state, input.partitionAware),
      source: 'SOURCE_MASTER',
      reason: 'REASON_RECONCILIATION',
      message,
      timestamp: input.now / 1000,
    };
    if (agentId) s.agent_id = { value: agentId };
    if (executorId) s.executor_id = { value: executorId };
    if (latest?.data !== undefined) s.data = latest.data;
    if (latest?.healthy !== undefined) s.healthy = latest.healthy;
    return s;
  };
  const latest = (t: KnownTask) => answer(t.taskId, t.agentId, t.state, 'Reconciliation: Latest task state', t.latest, t.executorId);

  if (requested.length === 0) return input.knownTasks.map(latest);

  const out: TaskStatus[] = [];
  for (const req of requested) {
    const known = input.knownTasks.find((t) => t.taskId === req.taskId);
    if (known) {
      out.push(latest(known));
      continue;
    }
    if (req.agentId === undefined) {
      if (!input.anyAgentRecovering) out.push(answer(req.taskId, undefined, 'TASK_UNKNOWN', 'Reconciliation: Task is unknown'));
      continue;
    }
    switch (input.agentStanding(req.agentId)) {
      case 'recovering':
        break; // The agent may still re-register with the task: answering now could lie.
      case 'registered':
        out.push(answer(req.taskId, req.agentId, 'TASK_GONE', 'Reconciliation: Task is unknown to the agent'));
        break;
      case 'unreachable':
        out.push(answer(req.taskId, req.agentId, 'TASK_UNREACHABLE', 'Reconciliation: Task is unknown and the agent is unreachable'));
        break;
      case 'gone':
        out.push(answer(req.taskId, req.agentId, 'TASK_GONE_BY_OPERATOR', 'Reconciliation: Task is unknown and the agent is gone'));
        break;
      default:
        out.push(answer(req.taskId, req.agentId, 'TASK_UNKNOWN', 'Reconciliation: Task is unknown'));
    }
  }
  return out;
}
