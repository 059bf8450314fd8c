import type { TaskState } from './mesos-types';

const TERMINAL: ReadonlySet<TaskState> = new Set<TaskState>([
  'TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE',
]);

/** States that only PARTITION_AWARE frameworks may see; the others get TASK_LOST instead. */
const PARTITION_AWARE_ONLY: ReadonlySet<TaskState> = new Set<TaskState>([
  'TASK_DROPPED', 'TASK_UNREACHABLE', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN',
]);

export function isTerminal(state: TaskState): boolean {
  return TERMINAL.has(state);
}

/** The state a framework is shown, given whether it declared the PARTITION_AWARE capability. */
export function stateForFramework(state: TaskState, partitionAware: boolean): TaskState {
  return !partitionAware && PARTITION_AWARE_ONLY.has(state) ? 'TASK_LOST' : state;
}

