import type { ExperimentModel, Plain, ProcessModel } from '@msched/airavata-thrift';

/**
 * What the API publishes through the outbox (docs/api.md). Message key = experimentId, so one
 * experiment's messages stay in order. Consumers drop redeliveries by the envelope id.
 */
export const LAUNCH_EVENT_TYPE = 'launch.accepted';
export const LAUNCH_EVENT_VERSION = 1;
export const CANCEL_EVENT_TYPE = 'cancel.requested';
export const CANCEL_EVENT_VERSION = 1;

/** Topic `launch`: an accepted launch, with what the provisioner needs to resolve the gang. */
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

/** Topic `cancel`: stop whatever runs for this job and mark it CANCELED. */
export interface CancelRequested {
  experimentId: string;
  processId: string;
  jobId: string;
  gatewayId: string;
  reason: string;
}
