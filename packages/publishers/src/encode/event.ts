import type { Envelope } from '@msched/bus';
import { STATES_OF, TASK_TYPES } from '@msched/state-model';
import {
  OUTPUTS_EVENT_TYPE, OutputsEvent, STATUS_EVENT_TYPE, STATUS_EVENT_VERSION, StatusEntity, StatusEvent,
} from '@msched/model';
import { EncodeError } from '../errors';

/**
 * The events the publishers forward, read back from an envelope of the events topic and checked,
 * so encoders can trust every id they need. Other envelope types are not status and are ignored.
 */
export type PublishedEvent =
  | { readonly kind: 'status'; readonly envelopeId: string; readonly event: StatusEvent; readonly timeMs: number }
  | { readonly kind: 'outputs'; readonly envelopeId: string; readonly event: OutputsEvent; readonly timeMs: number };

/** Newest payload version this publisher understands (docs/events.md: a bump means an incompatible change). */
export const SUPPORTED_VERSION = STATUS_EVENT_VERSION;

const ENTITIES: readonly StatusEntity[] = ['experiment', 'process', 'task', 'job'];
/** Ids each entity's Airavata identifier needs (airavata-interop.md, messaging events). */
const REQUIRED_IDS: Record<StatusEntity, ReadonlyArray<keyof StatusEvent>> = {
  experiment: ['gatewayId', 'experimentId'],
  process: ['gatewayId', 'experimentId', 'processId'],
  task: ['gatewayId', 'experimentId', 'processId', 'taskId'],
  job: ['gatewayId', 'experimentId', 'processId', 'taskId', 'jobId'],
};

/** Returns the status or outputs event an envelope carries, undefined for other types; EncodeError if malformed. */
export function readPublishedEvent(env: Envelope): PublishedEvent | undefined {
  if (env.type !== STATUS_EVENT_TYPE && env.type !== OUTPUTS_EVENT_TYPE) return undefined;
  if (env.version > SUPPORTED_VERSION) {
    throw new EncodeError(`${env.type} version ${env.version} is newer than this publisher understands (${SUPPORTED_VERSION})`);
  }
  const p = env.payload;
  if (typeof p !== 'object' || p === null) throw new EncodeError(`${env.type} payload is not an object`);
  return env.type === STATUS_EVENT_TYPE
    ? { kind: 'status', envelopeId: env.id, event: checkStatus(p as Record<string, unknown>), timeMs: timeOf(p as Record<string, unknown>) }
    : { kind: 'outputs', envelopeId: env.id, event: checkOutputs(p as Record<string, unknown>), timeMs: timeOf(p as Record<string, unknown>) };
}

function checkStatus(p: Record<string, unknown>): StatusEvent {
  const entity = p.entity as StatusEntity;
  if (!ENTITIES.includes(entity)) throw new EncodeError(`status event entity ${JSON.stringify(p.entity)} is not one of ${ENTITIES.join(', ')}`);
  if (typeof p.state !== 'string' || !STATES_OF[entity].includes(p.state)) {
    throw new EncodeError(`${JSON.stringify(p.state)} is not an Airavata ${entity} state`);
  }
  for (const id of REQUIRED_IDS[entity]) requireId(p, id, `${entity} status event`);
  if (entity === 'task' && p.taskType !== undefined && !(TASK_TYPES as readonly unknown[]).includes(p.taskType)) {
    throw new EncodeError(`${JSON.stringify(p.taskType)} is not an Airavata TaskTypes name`);
  }
  return p as unknown as StatusEvent;
}

function checkOutputs(p: Record<string, unknown>): OutputsEvent {
  for (const id of ['gatewayId', 'experimentId', 'processId', 'taskId']) requireId(p, id, 'outputs event');
  if (!Array.isArray(p.outputs)) throw new EncodeError('outputs event has no outputs list');
  p.outputs.forEach((o: unknown, i: number) => {
    const out = o as Record<string, unknown>;
    if (typeof out !== 'object' || out === null || typeof out.name !== 'string' || out.name === '') {
      throw new EncodeError(`outputs[${i}] has no name`);
    }
  });
  return p as unknown as OutputsEvent;
}

function requireId(p: Record<string, unknown>, field: string, what: string): void {
  if (typeof p[field] !== 'string' || p[field] === '') throw new EncodeError(`${what} has no ${field}`);
}

function timeOf(p: Record<string, unknown>): number {
  const ms = typeof p.time === 'string' ? Date.parse(p.time) : NaN;
  if (!Number.isFinite(ms)) throw new EncodeError(`time ${JSON.stringify(p.time)} is not an ISO 8601 date`);
  return ms;
}
