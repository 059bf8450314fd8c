import type { ExperimentState, JobState, ProcessState, AiravataTaskState } from './states';

/**
 * How our lifecycle maps onto Airavata's states. docs/state-model.md renders these tables for
 * people; keep the two in step (a test compares them).
 */

/** Mesos task states (mesos-v1.md) → the job state of the gang they belong to, per task. */
export const MESOS_TASK_TO_JOB: Readonly<Record<string, JobState>> = {
  TASK_STAGING: 'SUBMITTED',
  TASK_STARTING: 'SUBMITTED',
  TASK_RUNNING: 'ACTIVE',
  TASK_KILLING: 'ACTIVE',
  TASK_FINISHED: 'COMPLETE',
  TASK_FAILED: 'FAILED',
  TASK_KILLED: 'CANCELED',
  TASK_ERROR: 'FAILED',
  TASK_LOST: 'FAILED',
  TASK_DROPPED: 'FAILED',
  TASK_GONE: 'FAILED',
  TASK_GONE_BY_OPERATOR: 'FAILED',
  TASK_UNREACHABLE: 'UNKNOWN',
  TASK_UNKNOWN: 'UNKNOWN',
};

/** Mesos task states that end a task (mesos-v1.md). */
export const MESOS_TERMINAL = new Set(['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE']);

/** Our pipeline steps → the process state Airavata sees while the step runs. */
export const STAGE_TO_PROCESS: Readonly<Record<string, ProcessState>> = {
  accepted: 'STARTED',
  resolve: 'PRE_PROCESSING',
  capacity: 'CONFIGURING_WORKSPACE',
  'stage-inputs': 'INPUT_DATA_STAGING',
  handoff: 'EXECUTING',
  'gang-waiting': 'QUEUED',
  'gang-running': 'MONITORING',
  'collect-outputs': 'OUTPUT_DATA_STAGING',
  cleanup: 'POST_PROCESSING',
};

/** Airavata's orchestrator's own rule: process state → experiment state (airavata-interop.md). */
export function experimentStateForProcess(p: ProcessState): ExperimentState | undefined {
  switch (p) {
    case 'STARTED': case 'PRE_PROCESSING': case 'CONFIGURING_WORKSPACE': case 'INPUT_DATA_STAGING':
    case 'EXECUTING': case 'MONITORING': case 'OUTPUT_DATA_STAGING': case 'POST_PROCESSING': case 'DEQUEUING':
      return 'EXECUTING';
    case 'COMPLETED': return 'COMPLETED';
    case 'FAILED': return 'FAILED';
    case 'CANCELLING': return 'CANCELING';
    case 'CANCELED': return 'CANCELED';
    case 'QUEUED': case 'REQUEUED': return 'SCHEDULED';
    default: return undefined;
  }
}

/** The Airavata tasks of a process (one per pipeline phase), with the stages each covers. */
export const AIRAVATA_TASKS: ReadonlyArray<{ type: 'ENV_SETUP' | 'DATA_STAGING' | 'JOB_SUBMISSION' | 'OUTPUT_FETCHING' | 'ENV_CLEANUP'; stages: readonly string[] }> = [
  { type: 'ENV_SETUP', stages: ['resolve', 'capacity'] },
  { type: 'DATA_STAGING', stages: ['stage-inputs'] },
  { type: 'JOB_SUBMISSION', stages: ['handoff', 'gang-waiting', 'gang-running'] },
  { type: 'OUTPUT_FETCHING', stages: ['collect-outputs'] },
  { type: 'ENV_CLEANUP', stages: ['cleanup'] },
];

/** Job state → the state of the JOB_SUBMISSION task that owns it. */
export function taskStateForJob(j: JobState): AiravataTaskState {
  switch (j) {
    case 'COMPLETE': return 'COMPLETED';
    case 'FAILED': return 'FAILED';
    case 'CANCELED': return 'CANCELED';
    default: return 'EXECUTING';
  }
}

/** Status names Airavata's realtime job monitor (`helix-airavata-mq`) uses for each job state. */
export const JOB_MONITOR_STATUS: Readonly<Record<JobState, string>> = {
  SUBMITTED: 'SUBMITTED', QUEUED: 'QUEUED', ACTIVE: 'RUNNING', COMPLETE: 'COMPLETED', CANCELED: 'CANCELED',
  FAILED: 'FAILED', SUSPENDED: 'SUSPENDED', UNKNOWN: 'UNKNOWN', NON_CRITICAL_FAIL: 'NON_CRITICAL_FAIL',
};
