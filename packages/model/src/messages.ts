import type { ExperimentModel, Plain, ProcessModel } from '@msched/airavata-thrift';
import type { GangSpec } from './gang';

/**
 * Messages between the workers (payloads of our envelopes). Message key = experimentId everywhere,
 * so one experiment's messages stay in order.
 */

/** Topic `launch` (API → provisioner): an accepted launch, with what the provisioner needs to resolve the gang. */
export const LAUNCH_ACCEPTED_TYPE = 'launch.accepted';
export const LAUNCH_ACCEPTED_VERSION = 1;
export interface LaunchAccepted {
  experimentId: string;
  processId: string;
  jobId: string;
  /** Airavata id of the JOB_SUBMISSION task the job belongs to (JobModel.taskId). */
  taskId: string;
  attempt: number;
  gatewayId: string;
  userName: string;
  computeResourceId: string;
  queueName: string;
  /** Mesos role the queue maps to (MSCHED_API_QUEUE_ROLES). */
  role: string;
  experiment: Plain<ExperimentModel>;
  process: Plain<ProcessModel>;
}

/** Topic `cancel` (API → provisioner and dispatcher): stop whatever runs for this job and mark it CANCELED. */
export const CANCEL_REQUESTED_TYPE = 'cancel.requested';
export const CANCEL_REQUESTED_VERSION = 1;
export interface CancelRequested {
  readonly experimentId: string;
  readonly processId: string;
  readonly jobId: string;
  readonly gatewayId: string;
  readonly reason: string;
}

/** Topic `dispatch` (provisioner → dispatcher): a gang ready to run. */
export const GANG_READY_TYPE = 'gang.ready';
export interface GangReady {
  readonly spec: GangSpec;
  /** Airavata id of the JOB_SUBMISSION task the job belongs to (JobModel.taskId). */
  readonly taskId: string;
}

/** One Mesos task of a finished gang: where its sandbox is, for output collection and cleanup. */
export interface EndedTask {
  readonly taskId: string;
  readonly agentId: string;
  readonly hostname: string;
  readonly ranks: readonly number[];
  /** Absolute sandbox directory on the agent, when Mesos told us (from /master/state or the task's report). */
  readonly sandboxPath?: string;
  /** Last Mesos state of the task. */
  readonly state: string;
  /** True for the task that ran the MPI launcher (its stdout is the job's stdout). */
  readonly launcher: boolean;
}

/** Topic `job.ended` (dispatcher → provisioner): a gang attempt reached a terminal state. */
export const JOB_ENDED_TYPE = 'job.ended';
export interface JobEnded {
  readonly jobId: string;
  readonly processId: string;
  readonly experimentId: string;
  readonly gatewayId: string;
  readonly taskId: string;
  readonly attempt: number;
  /** Airavata JobState name: COMPLETE, FAILED or CANCELED. */
  readonly state: 'COMPLETE' | 'FAILED' | 'CANCELED';
  readonly reason?: string;
  readonly exitCode?: number;
  readonly failedRank?: number;
  /** True when the dispatcher queued a new attempt (infrastructure failure): the process goes on. */
  readonly retried: boolean;
  readonly tasks: readonly EndedTask[];
}
