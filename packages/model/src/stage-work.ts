import type { JobEnded } from './messages';

/** The provisioning stages, in pipeline order. */
export const STAGES = ['resolve', 'capacity', 'stage-inputs', 'handoff', 'collect-outputs', 'cleanup'] as const;
export type StageName = (typeof STAGES)[number];

export const STAGE_WORK_TYPE = 'stage.work';

/** Topic `provision`: run one stage for one job. Key = experimentId. */
export interface StageWork {
  stage: StageName;
  experimentId: string;
  processId: string;
  jobId: string;
  gatewayId: string;
  taskId: string;
  /** For collect-outputs and cleanup: how the job ended and where its sandboxes are. */
  ended?: JobEnded;
}

/** The stage after `s` before the job runs; handoff is followed by the dispatcher, cleanup by nothing. */
export function nextStage(s: StageName): StageName | undefined {
  switch (s) {
    case 'resolve': return 'capacity';
    case 'capacity': return 'stage-inputs';
    case 'stage-inputs': return 'handoff';
    case 'collect-outputs': return 'cleanup';
    default: return undefined;
  }
}
