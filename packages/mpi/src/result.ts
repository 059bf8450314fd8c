import { EXIT, exitCodeOf } from './exit-codes';
import type { RankExit } from './records';

/**
 * The job's verdict, produced once by the launcher task (or the serial task). Carried three ways so
 * the dispatcher can use whichever it reaches: the ZooKeeper node `<rendezvous>/result`, the file
 * `<sandbox>/msched-result.json`, and one line on the task's stderr starting with RESULT_MARKER.
 * The task's exit code equals `exitCode`.
 */
export type GangFailureReason =
  | 'rank_failed' // a rank ended with a non-zero code or a signal: failedRank says which
  | 'launcher_failed' // mpirun/mpiexec failed without any rank failing (bad MPI options, daemon lost)
  | 'cannot_start' // the launcher or the serial executable could not be started
  | 'member_lost' // a task of the gang ended (or lost ZooKeeper) while the job ran
  | 'rendezvous_timeout' // not every task registered in time
  | 'zookeeper_unavailable' // ZooKeeper stayed unreachable longer than the task's retry bound (infrastructure)
  | 'walltime' // the job ran past its wall time and was ended
  | 'killed' // the launcher task got SIGTERM (Mesos kill) and ended the job
  | 'config' // the task's environment contract was violated (a dispatcher bug)
  | 'internal'; // unexpected error in the task program

export interface GangResult {
  readonly state: 'COMPLETED' | 'FAILED';
  readonly exitCode: number;
  readonly reason?: GangFailureReason;
  readonly failedRank?: number;
  readonly failedHost?: string;
  /** One line a human can act on. */
  readonly message: string;
  /** True when a new attempt may succeed (the gang broke, not the application). */
  readonly retriable: boolean;
  readonly ranks: number;
  readonly jobId: string;
  readonly attempt: number;
  readonly durationMs: number;
}

export const RESULT_MARKER = 'MSCHED_GANG_RESULT ';
export const RESULT_FILE = 'msched-result.json';

const RETRIABLE: ReadonlySet<GangFailureReason> = new Set(['member_lost', 'rendezvous_timeout', 'zookeeper_unavailable']);

export function formatResultLine(result: GangResult): string {
  return `${RESULT_MARKER}${JSON.stringify(result)}`;
}

/** Finds the result line in a task's stderr text (the last one wins); undefined when absent. */
export function findResultLine(stderr: string): GangResult | undefined {
  const lines = stderr.split('\n').filter((l) => l.startsWith(RESULT_MARKER));
  const last = lines[lines.length - 1];
  return last ? (JSON.parse(last.slice(RESULT_MARKER.length)) as GangResult) : undefined;
}

/**
 * Why the launcher itself stopped the job before MPI finished on its own. 'rank_failed': a rank
 * wrapper recorded a failure; MPICH's Hydra does not end a job when a rank merely exits non-zero
 * (its other ranks would wait in MPI forever), so the launcher does.
 */
export interface Abort {
  readonly reason: 'member_lost' | 'walltime' | 'killed' | 'rank_failed';
  readonly message: string;
}

export interface RunOutcome {
  /** How mpirun/mpiexec (or the serial program) ended; undefined when it never started. */
  readonly launcher?: { readonly code: number | null; readonly signal: string | null };
  readonly startError?: string;
  readonly abort?: Abort;
  readonly rankExits: readonly RankExit[];
  /** Members whose ZooKeeper node was gone when the launcher looked after MPI ended. */
  readonly missingMembers: readonly string[];
  /** MPI_Abort as MPI reported it on the launcher's stderr (abort-scanner.ts). */
  readonly mpiAbort?: { readonly rank?: number; readonly code: number; readonly host?: string };
}

export type ResultContext = Pick<GangResult, 'ranks' | 'jobId' | 'attempt' | 'durationMs'>;

/**
 * The first rank to fail is the likely cause; ranks that ended by a signal were usually killed by
 * MPI (or with their task) after someone else failed, so a rank that exited with a code of its own
 * is preferred.
 */
export function firstFailedRank(exits: readonly RankExit[]): RankExit | undefined {
  return firstWithOwnCode(exits) ?? firstSignalled(exits);
}

function byTime(exits: readonly RankExit[]): RankExit[] {
  return [...exits].sort((a, b) => a.atMs - b.atMs || a.rank - b.rank);
}

function firstWithOwnCode(exits: readonly RankExit[]): RankExit | undefined {
  return byTime(exits).find((e) => (e.code !== null && e.code !== 0) || (e.error !== undefined && e.signal === null));
}

function firstSignalled(exits: readonly RankExit[]): RankExit | undefined {
  return byTime(exits).find((e) => e.signal !== null);
}

/** A verdict reached before MPI ran (rendezvous, placement, configuration). */
export function gangFailure(ctx: ResultContext, reason: GangFailureReason, message: string): GangResult {
  const code = reason === 'config' ? EXIT.config : reason === 'cannot_start' ? EXIT.cannotStart : reason === 'internal' ? EXIT.internal
    : reason === 'killed' ? EXIT.killed : reason === 'walltime' ? EXIT.wallTime : EXIT.gangBroken;
  return failed(ctx, reason, code, message);
}

function rankFailed(ctx: ResultContext, rank: RankExit): GangResult {
  const code = rank.error !== undefined && rank.code === null && rank.signal === null ? EXIT.cannotStart : exitCodeOf(rank.code, rank.signal);
  const how = rank.error ?? (rank.code !== null ? `exited with code ${rank.code}` : `was killed by ${rank.signal}`);
  return failed(ctx, 'rank_failed', code, `rank ${rank.rank} on ${rank.hostname} ${how}`, { failedRank: rank.rank, failedHost: rank.hostname });
}

function failed(ctx: ResultContext, reason: GangFailureReason, exitCode: number, message: string, extra: Partial<GangResult> = {}): GangResult {
  return { state: 'FAILED', exitCode: exitCode === 0 ? EXIT.internal : exitCode, reason, message, retriable: RETRIABLE.has(reason), ...ctx, ...extra };
}

/**
 * The verdict from everything the launcher observed. Precedence: the launcher's own decision to stop
 * (kill, wall time, lost member) explains the ranks' deaths, so it wins; then MPI_Abort; then the
 * first rank that exited with a code of its own; then a clean MPI exit; then a member found gone
 * (its ranks were killed with it); then a rank killed by a signal; then mpirun's own failure.
 */
export function decideResult(o: RunOutcome, ctx: ResultContext): GangResult {
  if (o.abort?.reason === 'killed') return failed(ctx, 'killed', EXIT.killed, o.abort.message);
  if (o.abort?.reason === 'walltime') return failed(ctx, 'walltime', EXIT.wallTime, o.abort.message);
  if (o.abort?.reason === 'member_lost') return failed(ctx, 'member_lost', EXIT.gangBroken, o.abort.message);
  if (o.startError !== undefined) return failed(ctx, 'cannot_start', EXIT.cannotStart, o.startError);
  // MPI_Abort is the cause; the ranks MPI killed because of it are not.
  if (o.mpiAbort) {
    const { rank, code, host } = o.mpiAbort;
    const who = rank === undefined ? 'a rank' : `rank ${rank}${host ? ` on ${host}` : ''}`;
    const fallback = o.launcher ? exitCodeOf(o.launcher.code, o.launcher.signal) : EXIT.internal;
    return failed(ctx, 'rank_failed', code > 0 && code < 256 ? code : fallback, `${who} called MPI_Abort with error code ${code}`, { failedRank: rank, failedHost: host });
  }
  const own = firstWithOwnCode(o.rankExits);
  if (own) return rankFailed(ctx, own);
  const l = o.launcher;
  // MPI finished cleanly: a member leaving afterwards changes nothing.
  if (l?.code === 0 && o.abort?.reason !== 'rank_failed') return { state: 'COMPLETED', exitCode: 0, message: `all ${ctx.ranks} rank(s) completed`, retriable: false, ...ctx };
  // Ranks killed by a signal on a task that is gone died with their task (Mesos kills a task's
  // whole process tree at once): the gang broke, the application did not fail.
  if (o.missingMembers.length) {
    return failed(ctx, 'member_lost', EXIT.gangBroken, `${o.missingMembers.join(', ')} left the gang during the run`);
  }
  const signalled = firstSignalled(o.rankExits);
  if (signalled) return rankFailed(ctx, signalled);
  // Stopped because a rank failed, yet its record is gone: the stop itself is all we know.
  if (o.abort?.reason === 'rank_failed') return failed(ctx, 'rank_failed', l ? exitCodeOf(l.code, l.signal) : EXIT.internal, o.abort.message);
  if (!l) return failed(ctx, 'internal', EXIT.internal, 'the launcher never ran');
  const code = exitCodeOf(l.code, l.signal);
  return failed(ctx, 'launcher_failed', code, `the MPI launcher ${l.code !== null ? `exited with code ${l.code}` : `was killed by ${l.signal}`} and no rank reported a failure (see the task's stderr)`);
}

/**
 * Signals a rank gets when MPI or its task ends it from outside (mpirun tearing down after losing a
 * daemon, a task being killed), rather than from a fault of its own (SIGSEGV, SIGFPE, SIGABRT...).
 */
const TEARDOWN_SIGNALS: ReadonlySet<string> = new Set(['SIGTERM', 'SIGKILL', 'SIGHUP', 'SIGINT', 'SIGPIPE']);

/**
 * True when `o` blames the application only because MPI was torn down: no rank exited with a code
 * of its own, nothing called MPI_Abort, the launcher decided nothing, no member is known gone, and
 * the ranks that ended were ended from outside (or mpirun failed without a rank's word). That is
 * also how a gang looks in the seconds after an agent dies with its processes: mpirun loses the
 * daemon at once, but the dead member's ZooKeeper node outlives it by a session timeout. So before
 * such a verdict the launcher waits for the members' presence to settle (the chaos run: an agent
 * killed -9 failed its gang as "rank 0 killed by SIGTERM", not retried).
 */
export function blamesOnlyTeardown(o: RunOutcome): boolean {
  if (o.startError !== undefined || o.mpiAbort || o.missingMembers.length) return false;
  if (o.abort && o.abort.reason !== 'rank_failed') return false;
  if (!o.launcher || o.launcher.code === 0) return false;
  if (firstWithOwnCode(o.rankExits)) return false;
  return o.rankExits.every((e) => e.signal === null || TEARDOWN_SIGNALS.has(e.signal));
}

/** The serial job's verdict: the program is rank 0 of a one-rank job. */
export function decideSerialResult(o: Omit<RunOutcome, 'rankExits' | 'missingMembers'> & { hostname: string }, ctx: ResultContext): GangResult {
  if (o.abort || o.startError !== undefined || !o.launcher) return decideResult({ ...o, rankExits: [], missingMembers: [] }, ctx);
  const { code, signal } = o.launcher;
  if (code === 0) return { state: 'COMPLETED', exitCode: 0, message: 'the program completed', retriable: false, ...ctx };
  return decideResult({ rankExits: [{ rank: 0, code, signal, hostname: o.hostname, atMs: 0 }], missingMembers: [] }, ctx);
}
