import type { Db } from '@msched/db';
import type { StatusEvent } from '@msched/model';

/** Who and what a change is about: the ids every status event carries. */
export interface Subject {
  gatewayId: string;
  experimentId: string;
  processId?: string;
  /** Airavata task id of the JOB_SUBMISSION task (jobs.task_id). */
  taskId?: string;
  jobId?: string;
  jobName?: string;
}

export interface TransitionRequest {
  entity: 'experiment' | 'process' | 'job';
  id: string;
  to: string;
  reason?: string;
  source: StatusEvent['source'];
  subject: Subject;
  /** Job results, stored on the job row and carried by the event. */
  exitCode?: number;
  failedRank?: number;
  /**
   * An operator's override (e.g. replaying a dead-lettered stage revives a FAILED process): skips
   * the transition check, never the state's existence. The text says who and why and is recorded.
   */
  force?: string;
}

export type TransitionResult =
  | { applied: true; from: string | undefined }
  | { applied: false; kind: 'duplicate' | 'rejected' | 'missing'; reason: string };

/** recordTransition's shape, handed to the workflow steps that record changes of their own. */
export type RecordTransition = (tx: Db, req: TransitionRequest) => Promise<TransitionResult>;
