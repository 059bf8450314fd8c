import { Db, enqueueOutbox } from '@msched/db';
import { STAGE_WORK_TYPE, type StageWork } from '@msched/model';

/** Queues a stage through the outbox (key = experimentId keeps one experiment's work in order). */
export async function queueStage(tx: Db, w: StageWork): Promise<void> {
  await enqueueOutbox(tx, { topic: 'provision', key: w.experimentId, type: STAGE_WORK_TYPE, payload: w });
}
