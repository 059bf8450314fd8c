import type { Db } from '@msched/db';
import type { JobEnded } from '@msched/model';
import { recordTransition } from '@msched/state-recorder';
import { lockJob } from '../store/lock-job';
import { setFailureKind } from '../store/set-failure-kind';
import { recordSettled } from './record-settled';
import { SOURCE, subjectOf } from './subject';

export interface UnlaunchedEnd {
  readonly state: 'FAILED' | 'CANCELED';
  readonly reason: string;
  /** jobs.failure_kind for FAILED: unplaceable (can never fit), invalid (bad gang or command). */
  readonly failureKind?: string;
}

/**
 * Ends a gang that never launched (canceled while waiting, or one that can never run): the job's
 * final state with its reason and its JobEnded (no tasks). Does nothing, returning undefined, when
 * the job was launched or ended meanwhile. In the caller's transaction.
 */
export async function endUnlaunchedJob(tx: Db, jobId: string, end: UnlaunchedEnd): Promise<JobEnded | undefined> {
  const job = await lockJob(tx, jobId);
  if (!job || job.launchedAt || job.settledAt) return undefined;
  const result = await recordTransition(tx, { entity: 'job', id: job.id, to: end.state, reason: end.reason, source: SOURCE, subject: subjectOf(job) });
  if (!result.applied) return undefined;
  if (end.failureKind) await setFailureKind(tx, job.id, end.failureKind);
  return recordSettled(tx, job.id);
}
