import type { JobEnded } from '@msched/model';
import { MessageError } from './launch';

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

export function parseStageWork(payload: unknown): StageWork {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  for (const k of ['stage', 'experimentId', 'processId', 'jobId', 'gatewayId', 'taskId']) {
    if (typeof p[k] !== 'string' || p[k] === '') throw new MessageError(`stage work lacks ${k}`);
  }
  if (!(STAGES as readonly string[]).includes(p.stage as string)) throw new MessageError(`unknown stage ${String(p.stage)}`);
  return p as unknown as StageWork;
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
