import type { JobOutcome } from '@msched/gang';
import type { GangResult } from '@msched/mpi';

/** The outcome as recorded: the gang lifecycle's verdict plus what the launcher's own result adds. */
export interface RecordedOutcome {
  readonly outcome: JobOutcome;
  readonly exitCode?: number;
  /** jobs.failure_kind: application, infrastructure, wall-time (or unplaceable/invalid for gangs never launched). */
  readonly failureKind?: string;
}

/**
 * Mesos only says which task failed; the gang's launcher (packages/mpi result contract) says why:
 * the exit code, the rank that failed first, and whether the gang broke rather than the program
 * (a member lost, a rendezvous that never completed), which a new attempt may fix. A task that
 * merely shared the gang's fate is not the cause, so the launcher's word refines the reason, the
 * rank and the failure kind. Mesos-level evidence of an infrastructure failure is never downgraded.
 */
export function refineOutcome(outcome: JobOutcome, result: GangResult | undefined, attempt: number, maxAttempts: number): RecordedOutcome {
  if (outcome.state === 'COMPLETE') return { outcome, ...(result?.state === 'COMPLETED' ? { exitCode: result.exitCode } : {}) };
  if (outcome.state === 'CANCELED') return { outcome };
  // A result written because we killed the launcher explains nothing: the cause lies elsewhere.
  if (!result || result.state !== 'FAILED' || result.reason === 'killed') return { outcome, failureKind: outcome.failure };
  let failure = outcome.failure;
  if (result.reason === 'walltime' && failure === 'application') failure = 'wall-time';
  else if (result.retriable && failure === 'application') failure = 'infrastructure';
  const retry = failure === 'infrastructure' && attempt < maxAttempts;
  const failedRank = result.failedRank ?? outcome.failedRank;
  return {
    outcome: {
      ...outcome,
      failure,
      retry,
      reason: `${result.message} [${result.reason ?? 'failed'}, exit code ${result.exitCode}]; ${outcome.reason}`,
      ...(failedRank !== undefined ? { failedRank } : {}),
    },
    exitCode: result.exitCode,
    failureKind: failure,
  };
}
