import type { StageWork } from '@msched/model';
import type { Subject } from '@msched/state-recorder';

/** The provisioning pipeline records its state changes under this source. */
export const PROVISIONER_SOURCE = 'provisioner' as const;

/** Who a stage's state changes are about. */
export function subjectOf(w: StageWork): Subject {
  return { gatewayId: w.gatewayId, experimentId: w.experimentId, processId: w.processId, taskId: w.taskId, jobId: w.jobId };
}
