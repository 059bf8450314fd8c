import type { GangSpec } from '@msched/model';

/**
 * The rows the dispatcher works with, as the store's queries return them. A job row is one gang
 * attempt; its gateway id comes from the experiment so every state change can name its subject.
 */
export interface JobRow {
  readonly id: string;
  readonly processId: string;
  readonly experimentId: string;
  readonly gatewayId: string;
  /** The experiment's user (fair share charges the gateway's user). */
  readonly userName: string;
  /** Airavata id of the JOB_SUBMISSION task (JobModel.taskId). */
  readonly taskId: string;
  readonly attempt: number;
  /** Airavata JobState name. */
  readonly state: string;
  readonly gangSpec: GangSpec | null;
  readonly reason: string | null;
  readonly exitCode: number | null;
  readonly failedRank: number | null;
  readonly failureKind: string | null;
  readonly queuedAt: Date | null;
  readonly launchedAt: Date | null;
  readonly settledAt: Date | null;
  readonly cancelRequestedAt: Date | null;
  readonly cancelReason: string | null;
}

/** One Mesos task of a launched gang. */
export interface TaskRow {
  readonly id: string;
  readonly jobId: string;
  readonly agentId: string | null;
  readonly hostname: string | null;
  readonly ranks: number[];
  /** Mesos TaskState name. */
  readonly state: string;
  readonly lastUpdateUuid: string | null;
  readonly sandboxPath: string | null;
  readonly exitCode: number | null;
  readonly message: string | null;
  readonly taskIndex: number | null;
  readonly launcher: boolean;
}

/** SELECT list of a JobRow from `jobs j JOIN experiments e`. */
export const JOB_COLUMNS = `
  j.id, j.process_id AS "processId", j.experiment_id AS "experimentId", e.gateway_id AS "gatewayId",
  e.user_name AS "userName", j.task_id AS "taskId", j.attempt, j.state, j.gang_spec AS "gangSpec", j.reason, j.exit_code AS "exitCode",
  j.failed_rank AS "failedRank", j.failure_kind AS "failureKind", j.queued_at AS "queuedAt",
  j.launched_at AS "launchedAt", j.settled_at AS "settledAt", j.cancel_requested_at AS "cancelRequestedAt",
  j.cancel_reason AS "cancelReason"`;

/** SELECT list of a TaskRow from `tasks t`. */
export const TASK_COLUMNS = `
  t.id, t.job_id AS "jobId", t.agent_id AS "agentId", t.hostname, t.ranks, t.state,
  t.last_update_uuid AS "lastUpdateUuid", t.sandbox_path AS "sandboxPath", t.exit_code AS "exitCode",
  t.message, t.task_index AS "taskIndex", t.launcher`;
