import type { TaskState, TaskStatus } from '@msched/mesos/protocol';

/** One task of a launched gang attempt: the ranks it owns on one agent. */
export interface GangTaskPlan {
  readonly taskId: string;
  readonly agentId: string;
  readonly ranks: readonly number[];
}

/** A gang attempt as launched: what the state machine watches over. */
export interface GangAttemptPlan {
  readonly jobId: string;
  /** 1-based attempt number of this job within its process. */
  readonly attempt: number;
  /** Infrastructure failures are retried as a new attempt while attempt < maxAttempts. */
  readonly maxAttempts: number;
  readonly wallTimeSeconds: number;
  /** Epoch ms when the ACCEPTs went out; the wall-time clock starts here (staging counts). */
  readonly launchedAt: number;
  readonly tasks: readonly GangTaskPlan[];
}

/**
 * Why a gang failed. Only `infrastructure` may be retried: the same program on a new set of agents
 * can succeed; a non-zero exit or an exhausted wall time would fail again.
 */
export type FailureKind = 'application' | 'infrastructure' | 'wall-time';

export type JobOutcome =
  | { readonly state: 'COMPLETE' }
  | {
      readonly state: 'FAILED';
      readonly reason: string;
      readonly failure: FailureKind;
      /** Lowest rank of the task that failed first; absent for gang-wide causes (wall time). */
      readonly failedRank?: number;
      readonly failedTaskId?: string;
      /** True when the dispatcher should launch attempt + 1. */
      readonly retry: boolean;
    }
  | { readonly state: 'CANCELED'; readonly reason: string };

export type GangEvent =
  | { readonly type: 'update'; readonly status: TaskStatus }
  /** The ACCEPT for one agent failed (HTTP error): its tasks may never have reached the master. */
  | { readonly type: 'launchFailed'; readonly agentId: string; readonly reason: string }
  /** FAILURE event without an executor: the agent is gone. */
  | { readonly type: 'agentLost'; readonly agentId: string }
  | { readonly type: 'cancel'; readonly reason?: string }
  /** Time passes: wall-time limit and kill retries are checked. */
  | { readonly type: 'tick' };

export interface TaskRef {
  readonly taskId: string;
  readonly agentId: string;
}

export type GangDecision =
  | { readonly type: 'kill'; readonly tasks: readonly TaskRef[] }
  /** Every task is running: Airavata's JobState ACTIVE. */
  | { readonly type: 'active' }
  /** The gang's fate is sealed; emitted once, as soon as it is known (tasks may still be ending). */
  | { readonly type: 'outcome'; readonly outcome: JobOutcome }
  /** Every task has ended (or is gone with its agent): its resources are back, a retry may launch. */
  | { readonly type: 'settled' };

/** A task as the state machine last saw it. PENDING: no update yet; NOT_LAUNCHED: its ACCEPT failed. */
export type TrackedTaskState = TaskState | 'PENDING' | 'NOT_LAUNCHED';

export interface TaskView {
  readonly taskId: string;
  readonly agentId: string;
  readonly ranks: readonly number[];
  readonly state: TrackedTaskState;
  readonly reason?: string;
  readonly message?: string;
}

export type GangPhase = 'launching' | 'running' | 'ending' | 'settled';

export interface GangView {
  readonly jobId: string;
  readonly attempt: number;
  readonly phase: GangPhase;
  readonly outcome?: JobOutcome;
  readonly tasks: readonly TaskView[];
}
