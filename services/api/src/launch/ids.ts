import { randomUUID } from 'node:crypto';

/** Where new ids come from; tests substitute fixed ones. */
export interface IdSource {
  processId(): string;
  jobId(): string;
  /** Airavata task id of the JOB_SUBMISSION task. */
  taskId(): string;
}

export const randomIds: IdSource = {
  processId: () => `PROCESS_${randomUUID()}`,
  jobId: () => `JOB_${randomUUID()}`,
  taskId: () => `TASK_${randomUUID()}`,
};
