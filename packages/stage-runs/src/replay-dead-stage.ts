import type { DataSource } from 'typeorm';
import { withTransaction } from '@msched/db';
import { recordTransition } from '@msched/state-recorder';
import { lockDeadStageRun } from './lock-dead-stage-run';
import { queueStage } from './queue-stage';
import { resetForReplay } from './reset-for-replay';
import { PROVISIONER_SOURCE, subjectOf } from './stage-subject';

export class ReplayError extends Error {}

/**
 * Brings a dead-lettered stage back after its cause was fixed: its attempts start again, its work
 * is queued, and its FAILED process is requeued (an operator's override, recorded as such).
 */
export async function replayDeadStage(ds: DataSource, id: string, operator: string): Promise<{ stage: string; jobId: string; experimentId: string }> {
  return withTransaction(ds, async (tx) => {
    const dead = await lockDeadStageRun(tx, id);
    if (!dead) throw new ReplayError(`no dead-lettered stage run with id ${JSON.stringify(id)} (msched dlq list shows them)`);
    await resetForReplay(tx, dead.id);
    await recordTransition(tx, {
      entity: 'process', id: dead.processId, to: 'REQUEUED', source: PROVISIONER_SOURCE, subject: subjectOf(dead.work),
      reason: `dead-lettered ${dead.stage} replayed`, force: `replay by ${operator}`,
    });
    await queueStage(tx, dead.work);
    return { stage: dead.stage, jobId: dead.jobId, experimentId: dead.experimentId };
  });
}
