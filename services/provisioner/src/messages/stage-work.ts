import { STAGES, type StageWork } from '@msched/model';
import { MessageError } from './launch';

/** Checks a stage work message (StageWork in @msched/model) once, at the edge. */
export function parseStageWork(payload: unknown): StageWork {
  const p = (typeof payload === 'object' && payload !== null ? payload : {}) as Record<string, unknown>;
  for (const k of ['stage', 'experimentId', 'processId', 'jobId', 'gatewayId', 'taskId']) {
    if (typeof p[k] !== 'string' || p[k] === '') throw new MessageError(`stage work lacks ${k}`);
  }
  if (!(STAGES as readonly string[]).includes(p.stage as string)) throw new MessageError(`unknown stage ${String(p.stage)}`);
  return p as unknown as StageWork;
}
