import type { DataSource } from 'typeorm';
import { markProcessed, saveGangSpec, withTransaction } from '@msched/db';
import type { Logger } from '@msched/logging';
import { forJob } from '@msched/logging';
import type { GangReady } from '@msched/model';
import { recordTransition } from '@msched/state-recorder';
import { endUnlaunchedJob } from '../status/end-unlaunched-job';
import { isJobTerminal } from '../status/restore-fate';
import { SOURCE, subjectOf } from '../status/subject';
import { lockJob } from '../store/lock-job';
import { markJobQueued } from '../store/mark-job-queued';

export const GANG_READY_CONSUMER = 'dispatcher.gang-ready';

export type GangReadyOutcome = 'queued' | 'already-queued' | 'canceled' | 'ignored' | 'duplicate';

function waitingReason(g: GangReady['spec']): string {
  return `gang of ${g.ranks} rank${g.ranks === 1 ? '' : 's'} (${g.cpusPerRank} cpu, ${g.memMbPerRank} MB each${g.nodeCount ? `, on ${g.nodeCount} nodes` : ''}) waiting for offers of role ${g.role}`;
}

/**
 * A gang ready to run (topic `dispatch`): kept on its job row, the job QUEUED and the process QUEUED,
 * once however often the message comes. A job canceled before its gang arrived ends CANCELED here.
 * Any replica does this; the leader picks the gang up from the database.
 */
export async function handleGangReady(ds: DataSource, messageId: string, msg: GangReady, logger: Logger, defaultWallTimeSeconds: number): Promise<GangReadyOutcome> {
  // A gang without a wall time gets the installation's default (MSCHED_DISPATCHER_DEFAULT_WALLTIME_MINUTES).
  const spec = msg.spec.wallTimeSeconds > 0 ? msg.spec : { ...msg.spec, wallTimeSeconds: defaultWallTimeSeconds };
  const log = forJob(logger, { experimentId: spec.experimentId, processId: spec.processId, jobId: spec.jobId });
  return withTransaction(ds, async (tx) => {
    if (!(await markProcessed(tx, GANG_READY_CONSUMER, messageId))) return 'duplicate';
    const job = await lockJob(tx, spec.jobId);
    if (!job) {
      log.error(`gang ready for job ${spec.jobId}, which is not in the database: ignored`);
      return 'ignored';
    }
    if (job.settledAt || isJobTerminal(job.state) || job.launchedAt) {
      log.info(`gang ready for job ${job.id}, which is already ${job.launchedAt && !isJobTerminal(job.state) ? 'launched' : job.state}: nothing to do`);
      return 'ignored';
    }
    await saveGangSpec(tx, job.id, { ...spec, jobId: job.id, attempt: job.attempt });
    await markJobQueued(tx, job.id);
    if (job.cancelRequestedAt) {
      await endUnlaunchedJob(tx, job.id, { state: 'CANCELED', reason: job.cancelReason ?? 'canceled before it could run' });
      log.info('gang ready for a job canceled meanwhile: CANCELED');
      return 'canceled';
    }
    if (job.state === 'QUEUED') return 'already-queued';
    const subject = subjectOf(job);
    const reason = waitingReason(spec);
    const r = await recordTransition(tx, { entity: 'job', id: job.id, to: 'QUEUED', reason, source: SOURCE, subject });
    if (!r.applied) {
      log.warn(`job ${job.id} cannot be queued: ${r.reason}`);
      return 'ignored';
    }
    const p = await recordTransition(tx, { entity: 'process', id: job.processId, to: 'QUEUED', reason, source: SOURCE, subject });
    if (!p.applied && p.kind !== 'duplicate') log.warn(`process ${job.processId} stays as it is: ${p.reason}`);
    log.info(`queued: ${reason}`);
    return 'queued';
  });
}
