import type { Subject } from '@msched/state-recorder';
import type { JobRow } from '../store/rows';

/** The ids every status event about this job carries. */
export function subjectOf(job: Pick<JobRow, 'gatewayId' | 'experimentId' | 'processId' | 'taskId' | 'id'>): Subject {
  return { gatewayId: job.gatewayId, experimentId: job.experimentId, processId: job.processId, taskId: job.taskId, jobId: job.id };
}

export const SOURCE = 'dispatcher' as const;
