import { GangFate, type FailureKind, type JobOutcome, type TrackedTaskState } from '@msched/gang';
import { isTaskState } from '@msched/mesos';
import type { JobRow, TaskRow } from '../store/rows';

const JOB_TERMINAL = new Set(['COMPLETE', 'FAILED', 'CANCELED']);

export function isJobTerminal(state: string): boolean {
  return JOB_TERMINAL.has(state);
}

const FAILURE_KINDS: ReadonlySet<string> = new Set<FailureKind>(['application', 'infrastructure', 'wall-time']);

/** The sealed outcome a terminal job row records (the lifecycle only needs to know there is one). */
export function outcomeOfJob(job: Pick<JobRow, 'state' | 'reason' | 'failureKind' | 'failedRank'>): JobOutcome | undefined {
  switch (job.state) {
    case 'COMPLETE':
      return { state: 'COMPLETE' };
    case 'CANCELED':
      return { state: 'CANCELED', reason: job.reason ?? 'canceled' };
    case 'FAILED':
      return {
        state: 'FAILED',
        reason: job.reason ?? 'failed',
        failure: FAILURE_KINDS.has(job.failureKind ?? '') ? (job.failureKind as FailureKind) : 'application',
        ...(job.failedRank !== null ? { failedRank: job.failedRank } : {}),
        retry: false,
      };
    default:
      return undefined;
  }
}

export interface GangFateSettings {
  readonly maxAttempts: number;
  readonly killRetrySeconds: number;
}

/**
 * A gang attempt's state machine rebuilt from its rows, so whichever replica leads decides the same
 * way from what is committed: task states from the task rows, the outcome from a terminal job.
 */
export function restoreGangFate(job: JobRow, tasks: readonly TaskRow[], s: GangFateSettings): GangFate {
  if (!job.launchedAt) throw new Error(`job ${job.id} was never launched`);
  const wall = job.gangSpec?.wallTimeSeconds ?? 0;
  const states = new Map<string, TrackedTaskState>();
  for (const t of tasks) if (isTaskState(t.state)) states.set(t.id, t.state);
  const outcome = outcomeOfJob(job);
  return new GangFate(
    {
      jobId: job.id,
      attempt: job.attempt,
      maxAttempts: s.maxAttempts,
      // No wall time given means no limit (the lifecycle would otherwise end the gang at once).
      wallTimeSeconds: wall > 0 ? wall : Number.POSITIVE_INFINITY,
      launchedAt: job.launchedAt.getTime(),
      tasks: tasks.map((t) => ({ taskId: t.id, agentId: t.agentId ?? '', ranks: t.ranks })),
    },
    { killRetrySeconds: s.killRetrySeconds },
    { states, ...(outcome ? { outcome } : {}) },
  );
}
