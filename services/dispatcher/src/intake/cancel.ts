import type { DataSource } from 'typeorm';
import { lockExperiment, markProcessed, withTransaction } from '@msched/db';
import { forJob, type Logger } from '@msched/logging';
import { endUnlaunchedJob } from '../status/end-unlaunched-job';
import { findJob } from '../store/find-job';
import { markCancelRequested } from '../store/mark-cancel-requested';
import type { CancelRequested } from '@msched/model';

export const CANCEL_CONSUMER = 'dispatcher.cancel';

export interface CancelOutcome {
  /** Attempts canceled at once (they were waiting for offers). */
  readonly canceled: string[];
  /** Attempts marked: launched ones the leader kills, or ones whose gang has not arrived yet. */
  readonly marked: string[];
}

/**
 * A cancel request (topic `cancel`): every unsettled attempt of the process is marked; one still
 * waiting for offers ends CANCELED at once, a launched one is left to the leader (it kills the
 * tasks and records CANCELED). A job whose gang has not arrived is canceled when it does.
 */
export async function handleCancel(ds: DataSource, messageId: string, c: CancelRequested, logger: Logger): Promise<CancelOutcome> {
  const log = forJob(logger, { experimentId: c.experimentId, processId: c.processId, jobId: c.jobId });
  return withTransaction(ds, async (tx) => {
    if (!(await markProcessed(tx, CANCEL_CONSUMER, messageId))) return { canceled: [], marked: [] };
    // The experiment first, as every writer of its status locks it.
    await lockExperiment(tx, c.experimentId);
    const ids = await markCancelRequested(tx, c.processId, c.reason);
    const canceled: string[] = [];
    for (const id of ids) {
      const job = await findJob(tx, id);
      if (!job || job.launchedAt || !job.gangSpec) continue;
      if (await endUnlaunchedJob(tx, id, { state: 'CANCELED', reason: c.reason })) canceled.push(id);
    }
    log.info(`cancel requested (${c.reason}): ${canceled.length ? `canceled while waiting: ${canceled.join(', ')}` : 'nothing was waiting'}${ids.length > canceled.length ? `; marked: ${ids.filter((i) => !canceled.includes(i)).join(', ')}` : ''}`);
    return { canceled, marked: ids.filter((i) => !canceled.includes(i)) };
  });
}
