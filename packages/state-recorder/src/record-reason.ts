import { appendStatus, Db, enqueueOutbox, lockState } from '@msched/db';
import { STATUS_EVENT_TYPE, STATUS_EVENT_VERSION } from '@msched/model';
import type { Subject } from './transition-request';

export interface ReasonUpdate {
  entity: 'job';
  id: string;
  /** The state the entity must still be in; the news is about it, not a change of it. */
  state: string;
  reason: string;
  source: 'dispatcher';
  subject: Subject;
}

/**
 * News about an entity that stays in its state (a waiting job's expected start): recorded in the
 * status history and sent as a status event with the same state before and after, inside the
 * caller's transaction, the way Airavata itself adds a JobStatus with a new reason. Written only
 * while the entity is still in that state (the row is locked first); false when it is not.
 */
export async function recordReason(tx: Db, u: ReasonUpdate): Promise<boolean> {
  const current = await lockState(tx, u.entity, u.id);
  if (current !== u.state) return false;
  const { at } = await appendStatus(tx, { entityType: u.entity, entityId: u.id, experimentId: u.subject.experimentId, state: u.state, reason: u.reason, source: u.source });
  await enqueueOutbox(tx, {
    topic: 'events', key: u.subject.experimentId, type: STATUS_EVENT_TYPE, version: STATUS_EVENT_VERSION,
    payload: {
      entity: u.entity, state: u.state, previousState: u.state, reason: u.reason, source: u.source, time: new Date(at).toISOString(),
      gatewayId: u.subject.gatewayId, experimentId: u.subject.experimentId, processId: u.subject.processId, taskId: u.subject.taskId,
      jobId: u.id, jobName: u.subject.jobName ?? u.id,
    },
  });
  return true;
}
