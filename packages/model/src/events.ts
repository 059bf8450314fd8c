/**
 * Our own status event stream (topic `<prefix>events`), for Airavata's channels and any other
 * consumer. Written to the outbox in the same transaction as the state change it reports, so a
 * committed change is always published, in order per experiment (message key = experimentId).
 * Envelope type: STATUS_EVENT_TYPE, version STATUS_EVENT_VERSION. docs/events.md documents it.
 */
export const STATUS_EVENT_TYPE = 'status.changed';
export const STATUS_EVENT_VERSION = 1;
export const OUTPUTS_EVENT_TYPE = 'outputs.collected';

export type StatusEntity = 'experiment' | 'process' | 'task' | 'job';

export interface StatusEvent {
  readonly entity: StatusEntity;
  /** Airavata state name of the entity's enum (ExperimentState, ProcessState, TaskState, JobState). */
  readonly state: string;
  readonly previousState?: string;
  readonly reason?: string;
  readonly gatewayId: string;
  readonly experimentId: string;
  readonly processId?: string;
  /** Airavata task id (set for task and job events). */
  readonly taskId?: string;
  /** Airavata TaskTypes name of the task (task events). */
  readonly taskType?: string;
  readonly jobId?: string;
  /** Name of the job (job events), as Airavata's job monitor expects it. */
  readonly jobName?: string;
  /** Which service made the change. */
  readonly source: 'api' | 'provisioner' | 'dispatcher';
  /** When the change happened (ISO 8601). */
  readonly time: string;
  /** Job results when known. */
  readonly exitCode?: number;
  readonly failedRank?: number;
}

/** One collected output, shaped like Airavata's OutputDataObjectType (the fields we fill). */
export interface CollectedOutput {
  readonly name: string;
  readonly value: string;
  /** DataType name: STRING, URI, STDOUT, STDERR, ... */
  readonly type: string;
}

export interface OutputsEvent {
  readonly gatewayId: string;
  readonly experimentId: string;
  readonly processId: string;
  readonly taskId: string;
  readonly outputs: readonly CollectedOutput[];
  readonly time: string;
}
