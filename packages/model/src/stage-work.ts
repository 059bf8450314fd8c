import type { JobEnded } from './messages';

/** The provisioning stages, in pipeline order. */
export const STAGES = ['resolve', 'capacity', 'stage-inputs', 'handoff', 'collect-outputs', 'cleanup'] as const;
export type StageName = (typeof STAGES)[number];

export const STAGE_WORK_TYPE = 'stage.work';

/**
 * Topic `provision`: run one stage for one job. Key = experimentId. Written by the provisioner and,
 * when a dead-lettered stage is replayed, by whoever replays it (CLI, console): hence shared here.
 */
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
