/**
 * Airavata's state enums (develop line), by name in wire order: the index of a name is its Thrift
 * enum value. The DB stores the names; the Thrift layer converts with `stateValue`.
 */
export const EXPERIMENT_STATES = ['CREATED', 'VALIDATED', 'SCHEDULED', 'LAUNCHED', 'EXECUTING', 'CANCELING', 'CANCELED', 'COMPLETED', 'FAILED'] as const;
export const PROCESS_STATES = ['CREATED', 'VALIDATED', 'STARTED', 'PRE_PROCESSING', 'CONFIGURING_WORKSPACE', 'INPUT_DATA_STAGING', 'EXECUTING', 'MONITORING', 'OUTPUT_DATA_STAGING', 'POST_PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLING', 'CANCELED', 'QUEUED', 'DEQUEUING', 'REQUEUED'] as const;
export const TASK_STATES = ['CREATED', 'EXECUTING', 'COMPLETED', 'FAILED', 'CANCELED'] as const;
export const JOB_STATES = ['SUBMITTED', 'QUEUED', 'ACTIVE', 'COMPLETE', 'CANCELED', 'FAILED', 'SUSPENDED', 'UNKNOWN', 'NON_CRITICAL_FAIL'] as const;
export const TASK_TYPES = ['ENV_SETUP', 'DATA_STAGING', 'JOB_SUBMISSION', 'ENV_CLEANUP', 'MONITORING', 'OUTPUT_FETCHING'] as const;

export type ExperimentState = (typeof EXPERIMENT_STATES)[number];
export type ProcessState = (typeof PROCESS_STATES)[number];
export type AiravataTaskState = (typeof TASK_STATES)[number];
export type JobState = (typeof JOB_STATES)[number];
export type TaskType = (typeof TASK_TYPES)[number];

export type EntityType = 'experiment' | 'process' | 'task' | 'job';

export const STATES_OF: { readonly [K in EntityType]: readonly string[] } = {
  experiment: EXPERIMENT_STATES,
  process: PROCESS_STATES,
  task: TASK_STATES,
  job: JOB_STATES,
};

/** Thrift enum value of a state name. */
export function stateValue(entity: EntityType, name: string): number {
  const i = STATES_OF[entity].indexOf(name);
  if (i < 0) throw new RangeError(`${name} is not an Airavata ${entity} state`);
  return i;
}

/** State name of a Thrift enum value. */
export function stateName(entity: EntityType, value: number): string {
  const name = STATES_OF[entity][value];
  if (name === undefined) throw new RangeError(`${value} is not an Airavata ${entity} state value`);
  return name;
}
