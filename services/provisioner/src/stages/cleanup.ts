import { jobIdsOfProcess, jobState } from '@msched/db';
import { recordTransition } from '@msched/state-recorder';
import type { CapacityProvider } from '../capacity/provider';
import type { Stage } from '../pipeline/stage';
import { PROVISIONER_SOURCE as SOURCE, subjectOf } from '@msched/stage-runs';

const PROCESS_END: Record<string, string> = { COMPLETE: 'COMPLETED', FAILED: 'FAILED', CANCELED: 'CANCELED' };

export interface CleanupDeps {
  provider: CapacityProvider;
  /** Removes the job's ZooKeeper rendezvous subtree (idempotent). */
  removeRendezvous: (jobId: string) => Promise<void>;
}

/**
 * cleanup: releases the agents added for the job and the rendezvous nodes of all its attempts, then ends the process
 * the way the job ended. Sandboxes themselves are garbage-collected by the agents (Mesos' gc_delay;
 * the local cluster does the same), once outputs were collected.
 */
export function cleanupStage(deps: CleanupDeps): Stage<void> {
  return {
    name: 'cleanup',
    processState: 'POST_PROCESSING',
    run: async (ctx) => {
      await deps.provider.release(ctx.work.jobId);
      // Every attempt's, not only the last: the dispatcher removes an attempt's rendezvous once, as
      // it settles, and a ZooKeeper outage at that moment left a retried gang's first one behind
      // (the 30-minute chaos run). This stage is retried until it is done.
      for (const id of await jobIdsOfProcess(ctx.ds, ctx.work.processId)) await deps.removeRendezvous(id);
    },
    commit: async (tx, ctx) => {
      const job = await jobState(tx, ctx.work.jobId);
      const to = PROCESS_END[job?.state ?? ''] ?? 'FAILED';
      const reason = to === 'COMPLETED' ? undefined : job?.reason ?? `job ended ${job?.state ?? 'in an unknown state'}`;
      await recordTransition(tx, { entity: 'process', id: ctx.work.processId, to, reason, source: SOURCE, subject: subjectOf(ctx.work) });
    },
  };
}
