import { STAGES, type StageName, type StageWork } from '@msched/model';
import { MessageError } from './launch';

// The message itself is shared (@msched/model): dead-letter replays queue it from outside the provisioner.
export { STAGES, STAGE_WORK_TYPE } from '@msched/model';
export type { StageName, StageWork } from '@msched/model';

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
