import type { Id, Labels } from './messages';

/** Task states with their proto numbers (mesos.proto TaskState). */
export const TASK_STATE_NUMBERS = {
  TASK_STAGING: 6,
  TASK_STARTING: 0,
  TASK_RUNNING: 1,
  TASK_KILLING: 8,
  TASK_FINISHED: 2,
  TASK_FAILED: 3,
  TASK_KILLED: 4,
  TASK_ERROR: 7,
  TASK_LOST: 5,
  TASK_DROPPED: 9,
  TASK_UNREACHABLE: 10,
  TASK_GONE: 11,
  TASK_GONE_BY_OPERATOR: 12,
  TASK_UNKNOWN: 13,
} as const;

export type TaskState = keyof typeof TASK_STATE_NUMBERS;

const STATE_BY_NUMBER = new Map<number, TaskState>(
  Object.entries(TASK_STATE_NUMBERS).map(([name, n]) => [n, name as TaskState]),
);

export function isTaskState(x: unknown): x is TaskState {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(TASK_STATE_NUMBERS, x);
}

/** Proto3 JSON allows an enum as its number too; real masters send names. */
export function taskStateFrom(x: unknown): TaskState | undefined {
  if (isTaskState(x)) return x;
  if (typeof x === 'number') return STATE_BY_NUMBER.get(x);
  return undefined;
}

/**
 * Terminal per mesos-v1.md: no update follows. TASK_LOST and TASK_GONE_BY_OPERATOR are NOT terminal:
 * a partitioned agent that comes back can turn them into TASK_RUNNING again.
 */
const TERMINAL: ReadonlySet<TaskState> = new Set<TaskState>(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE']);

export function isTerminalTaskState(state: TaskState): boolean {
  return TERMINAL.has(state);
}

export type TaskStatusSource = 'SOURCE_MASTER' | 'SOURCE_AGENT' | 'SOURCE_EXECUTOR';

/**
 * TaskStatus.Reason names (mesos.proto). Kept open (`string & {}`) because newer masters add
 * reasons and an unknown one must not break decoding.
 */
export type TaskStatusReason =
  | 'REASON_COMMAND_EXECUTOR_FAILED'
  | 'REASON_CONTAINER_LAUNCH_FAILED'
  | 'REASON_CONTAINER_LIMITATION'
  | 'REASON_CONTAINER_LIMITATION_DISK'
  | 'REASON_CONTAINER_LIMITATION_MEMORY'
  | 'REASON_CONTAINER_PREEMPTED'
  | 'REASON_CONTAINER_UPDATE_FAILED'
  | 'REASON_MAX_COMPLETION_TIME_REACHED'
  | 'REASON_EXECUTOR_REGISTRATION_TIMEOUT'
  | 'REASON_EXECUTOR_REREGISTRATION_TIMEOUT'
  | 'REASON_EXECUTOR_TERMINATED'
  | 'REASON_EXECUTOR_UNREGISTERED'
  | 'REASON_FRAMEWORK_REMOVED'
  | 'REASON_GC_ERROR'
  | 'REASON_INVALID_FRAMEWORKID'
  | 'REASON_INVALID_OFFERS'
  | 'REASON_IO_SWITCHBOARD_EXITED'
  | 'REASON_MASTER_DISCONNECTED'
  | 'REASON_RECONCILIATION'
  | 'REASON_RESOURCES_UNKNOWN'
  | 'REASON_AGENT_DISCONNECTED'
  | 'REASON_AGENT_DRAINING'
  | 'REASON_AGENT_REMOVED'
  | 'REASON_AGENT_REMOVED_BY_OPERATOR'
  | 'REASON_AGENT_REREGISTERED'
  | 'REASON_AGENT_RESTARTED'
  | 'REASON_AGENT_UNKNOWN'
  | 'REASON_TASK_KILLED_DURING_LAUNCH'
  | 'REASON_TASK_CHECK_STATUS_UPDATED'
  | 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED'
  | 'REASON_TASK_GROUP_INVALID'
  | 'REASON_TASK_GROUP_UNAUTHORIZED'
  | 'REASON_TASK_INVALID'
  | 'REASON_TASK_UNAUTHORIZED'
  | 'REASON_TASK_UNKNOWN'
  | (string & {});

export interface TaskStatus {
  readonly task_id: Id;
  readonly state: TaskState;
  readonly message?: string;
  readonly source?: TaskStatusSource;
  readonly reason?: TaskStatusReason;
  /** Base64 (errata: the field is `data`, not `bytes`). */
  readonly data?: string;
  readonly agent_id?: Id;
  readonly executor_id?: Id;
  /** Seconds since the epoch, fractional. */
  readonly timestamp?: number;
  /** Base64 of 16 bytes; present only on updates that must be acknowledged. */
  readonly uuid?: string;
  readonly healthy?: boolean;
  readonly labels?: Labels;
}

/** Only updates that carry a uuid may (and must) be acknowledged; master-made ones carry none. */
export function needsAcknowledgement(status: TaskStatus): status is TaskStatus & { uuid: string; agent_id: Id } {
  return typeof status.uuid === 'string' && status.uuid.length > 0 && status.agent_id !== undefined;
}
