import { appendStatus, enqueueOutbox, type Db } from '@msched/db';
import { STATUS_EVENT_TYPE, STATUS_EVENT_VERSION, type StatusEvent } from '@msched/model';
import { recordTransition } from '@msched/state-recorder';
import { insertNextAttempt, type NextAttempt } from '../store/insert-next-attempt';
import type { JobRow } from '../store/rows';
import { nextJobId } from './next-job-id';
import { SOURCE, subjectOf } from './subject';

/**
 * After an infrastructure failure with attempts left: the next attempt as a new job (a new JobModel
 * for Airavata: SUBMITTED, then QUEUED), same gang, and the process REQUEUED, as Airavata's own
 * re-scheduler marks a process it queues again. In the caller's transaction.
 */
export async function queueNextAttempt(tx: Db, failed: JobRow, why: string): Promise<NextAttempt | undefined> {
  if (!failed.gangSpec) throw new Error(`job ${failed.id} has no gang spec to retry`);
  const attempt = failed.attempt + 1;
  const id = nextJobId(failed.id, attempt);
  const next = await insertNextAttempt(tx, failed, id, { ...failed.gangSpec, jobId: id, attempt });
  if (!next) return undefined;
  const subject = { ...subjectOf(failed), jobId: id };
  const reason = `attempt ${attempt} of ${failed.processId} after attempt ${failed.attempt} (${failed.id}) failed: ${why}`;
  // A new row has no transition to record: its first state is announced like the API announces attempt 1.
  await appendStatus(tx, { entityType: 'job', entityId: id, experimentId: failed.experimentId, state: 'SUBMITTED', reason, source: SOURCE });
  const event: StatusEvent = {
    entity: 'job', state: 'SUBMITTED', reason, gatewayId: failed.gatewayId, experimentId: failed.experimentId, processId: failed.processId,
    taskId: failed.taskId, jobId: id, jobName: id, source: SOURCE, time: new Date().toISOString(),
  };
  await enqueueOutbox(tx, { topic: 'events', key: failed.experimentId, type: STATUS_EVENT_TYPE, version: STATUS_EVENT_VERSION, payload: event });
  await recordTransition(tx, { entity: 'job', id, to: 'QUEUED', reason: `waiting for offers (attempt ${attempt})`, source: SOURCE, subject });
  await recordTransition(tx, { entity: 'process', id: failed.processId, to: 'REQUEUED', reason, source: SOURCE, subject });
  return next;
}
