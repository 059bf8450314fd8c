import type { TaskState, TaskStatus } from '@msched/mesos/protocol';
import type { FailureKind } from './types';

/** States that fail a gang when no kill of ours explains them. */
const FAILING_STATES: ReadonlySet<TaskState> = new Set<TaskState>([
  'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE',
  // Not in the usual list, but an MPI job cannot survive a rank it cannot reach: treat as lost.
  'TASK_UNREACHABLE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN',
]);

/** The task (or its agent) is gone for us: nothing of it runs that we can still reach. */
const GONE_STATES: ReadonlySet<TaskState> = new Set<TaskState>(['TASK_LOST', 'TASK_UNREACHABLE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN']);

/** The agent or Mesos failed, not the program: a new attempt elsewhere can succeed. */
const INFRASTRUCTURE_STATES: ReadonlySet<TaskState> = new Set<TaskState>([
  'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE', 'TASK_UNREACHABLE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN',
]);

const INFRASTRUCTURE_REASONS: ReadonlySet<string> = new Set([
  'REASON_INVALID_OFFERS',
  'REASON_AGENT_DISCONNECTED',
  'REASON_AGENT_DRAINING',
  'REASON_AGENT_REMOVED',
  'REASON_AGENT_REMOVED_BY_OPERATOR',
  'REASON_AGENT_REREGISTERED',
  'REASON_AGENT_RESTARTED',
  'REASON_AGENT_UNKNOWN',
  'REASON_MASTER_DISCONNECTED',
  'REASON_RESOURCES_UNKNOWN',
  'REASON_GC_ERROR',
  'REASON_CONTAINER_LAUNCH_FAILED',
  'REASON_CONTAINER_PREEMPTED',
  'REASON_CONTAINER_UPDATE_FAILED',
  'REASON_EXECUTOR_REGISTRATION_TIMEOUT',
  'REASON_EXECUTOR_REREGISTRATION_TIMEOUT',
  'REASON_TASK_UNKNOWN',
]);

export function isFailingState(state: TaskState): boolean {
  return FAILING_STATES.has(state);
}

export function isGoneState(state: TaskState): boolean {
  return GONE_STATES.has(state);
}

/**
 * Infrastructure or application? `everRan` is false while the task never reported RUNNING: a
 * TASK_ERROR then means the launch itself was refused, which the dispatch contract treats as an
 * infrastructure failure of the attempt (like DROPPED); later, the program is to blame.
 */
export function classifyFailure(status: Pick<TaskStatus, 'state' | 'reason'>, everRan: boolean): FailureKind {
  if (INFRASTRUCTURE_STATES.has(status.state)) return 'infrastructure';
  if (status.reason && INFRASTRUCTURE_REASONS.has(status.reason)) return 'infrastructure';
  if (status.state === 'TASK_ERROR' && !everRan) return 'infrastructure';
  return 'application';
}

/**
 * What an operator can do about a failure Mesos reports in its own words, or '' when nothing
 * specific. A fetch failure is an agent that could not download a CommandInfo.URI (the task runtime
 * or an input) into the sandbox: the task never started.
 */
export function operatorHint(status: Pick<TaskStatus, 'reason' | 'message'>): string {
  if (status.reason === 'REASON_CONTAINER_LAUNCH_FAILED' && /fetch/i.test(status.message ?? '')) {
    return 'the agent could not download a URI of the task before starting it: check that the agents reach that URI and that it serves the file '
      + '(for the task runtime msched-task-<sha256>: MSCHED_RUNTIME_URI, or the dispatcher\'s MSCHED_RUNTIME_ADVERTISE_HOST and MSCHED_RUNTIME_PORT; see docs/operator-guide.md)';
  }
  return '';
}
