import type { JobOutcome } from '@msched/gang';
import { EXIT, type GangResult } from '@msched/mpi';

/** The outcome as recorded: the gang lifecycle's verdict plus what the launcher's own result adds. */
export interface RecordedOutcome {
  readonly outcome: JobOutcome;
  readonly exitCode?: number;
  /** jobs.failure_kind: application, infrastructure, wall-time (or unplaceable/invalid for gangs never launched). */
  readonly failureKind?: string;
}

/** What the update that failed the gang said of its task: its exit code and Mesos' reason, when given. */
export interface FailedTaskWord {
  readonly exitCode?: number;
  readonly reason?: string;
}

/**
 * Mesos only says which task failed; the gang's launcher (packages/mpi result contract) says why:
 * the exit code, the rank that failed first, and whether the gang broke rather than the program
 * (a member lost, a rendezvous that never completed), which a new attempt may fix. A task that
 * merely shared the gang's fate is not the cause, so the launcher's word refines the reason, the
 * rank and the failure kind. Mesos-level evidence of an infrastructure failure is never downgraded.
 */
export function refineOutcome(outcome: JobOutcome, result: GangResult | undefined, attempt: number, maxAttempts: number, failedTask: FailedTaskWord = {}): RecordedOutcome {
  if (outcome.state === 'COMPLETE') return { outcome, ...(result?.state === 'COMPLETED' ? { exitCode: result.exitCode } : {}) };
  if (outcome.state === 'CANCELED') return { outcome };
  // The launcher recorded every rank's exit, all 0: the computation is done and its outputs are on
  // the launcher. A member failing after that (its ZooKeeper link lost while it wound down, in the
  // chaos run) is no reason to fail, or to run again, a finished job. A wall-time verdict stands.
  if (result?.state === 'COMPLETED' && outcome.failure !== 'wall-time') return { outcome: { state: 'COMPLETE' }, exitCode: result.exitCode };
  // No word from the launcher, and the task that failed first said the gang broke under it (the
  // launcher vanished without a result, or its ZooKeeper link was lost): the launcher's agent was
  // killed or cut off, whose own LOST/UNREACHABLE comes only after the master's agent timeout. That
  // is the infrastructure failing, to be retried whole, not the program (the 5-minute chaos run).
  if (!result && failedTask.exitCode === EXIT.gangBroken && outcome.failure === 'application') {
    return infrastructure(outcome, attempt, maxAttempts, `the gang broke under a task (exit code ${EXIT.gangBroken}: its launcher left without a result, or ZooKeeper was lost)`, failedTask.exitCode);
  }
  // Known only from a reconciliation answer (the task ended while no dispatcher was subscribed: a
  // leader failover), which carries the latest state but not its reason, and the launcher left no
  // result: nothing says the program failed (a program that ran and failed leaves one). In the
  // chaos run the tasks' fetch of the runtime from the killed leader failed so; Mesos' own reason
  // would have been infrastructure. Retried whole, within the attempts.
  if (!result && failedTask.reason === 'REASON_RECONCILIATION' && outcome.failure === 'application') {
    return infrastructure(outcome, attempt, maxAttempts, 'the task ended while no dispatcher was listening (seen only by reconciliation, its cause unknown) and its launcher left no result', failedTask.exitCode);
  }
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

function infrastructure(outcome: Extract<JobOutcome, { state: 'FAILED' }>, attempt: number, maxAttempts: number, why: string, exitCode: number | undefined): RecordedOutcome {
  return {
    outcome: { ...outcome, failure: 'infrastructure', retry: attempt < maxAttempts, reason: `${why}; ${outcome.reason}` },
    ...(exitCode !== undefined ? { exitCode } : {}),
    failureKind: 'infrastructure',
  };
}
