import { enqueueOutbox } from '@msched/db';
import { GANG_READY_TYPE, GangReady } from '@msched/model';
import type { Stage } from '../pipeline/stage';
import { loadGangSpec } from './load-launch';

/**
 * handoff: the gang goes to the dispatcher (topic `dispatch`) in the same transaction that marks the
 * stage done, so it is handed over exactly once however often this stage runs.
 */
export function handoffStage(): Stage<void> {
  return {
    name: 'handoff',
    processState: 'EXECUTING',
    continues: false,
    run: async () => undefined,
    commit: async (tx, ctx) => {
      const spec = await loadGangSpec(tx, ctx.work.jobId);
      const msg: GangReady = { spec, taskId: ctx.work.taskId };
      await enqueueOutbox(tx, { topic: 'dispatch', key: ctx.work.experimentId, type: GANG_READY_TYPE, payload: msg });
    },
  };
}
