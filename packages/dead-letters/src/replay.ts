import type { DataSource } from 'typeorm';
import { enqueueOutbox, withTransaction } from '@msched/db';
import { STAGE_WORK_TYPE, type StageWork } from '@msched/model';
import { recordTransition } from '@msched/transitions';
import { lockDeadStageRun, resetForReplay } from './dead-stage-runs';

export class ReplayError extends Error {}

/** The stage runner's source name: a replay is recorded as the provisioner's change, forced by the operator. */
const SOURCE = 'provisioner' as const;

const subjectOf = (w: StageWork) => ({ gatewayId: w.gatewayId, experimentId: w.experimentId, processId: w.processId, taskId: w.taskId, jobId: w.jobId });

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
      entity: 'process', id: dead.processId, to: 'REQUEUED', source: SOURCE, subject: subjectOf(dead.work),
      reason: `dead-lettered ${dead.stage} replayed`, force: `replay by ${operator}`,
    });
    // As the stage runner queues a stage (key = experimentId keeps one experiment's work in order).
    await enqueueOutbox(tx, { topic: 'provision', key: dead.work.experimentId, type: STAGE_WORK_TYPE, payload: dead.work });
    return { stage: dead.stage, jobId: dead.jobId, experimentId: dead.experimentId };
  });
}
