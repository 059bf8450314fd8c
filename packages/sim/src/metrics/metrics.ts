import type { JobOutcome } from '../engine/outcome';

/** Bounded slowdown's floor on the run time (seconds): very short jobs do not dominate the mean. */
export const SLOWDOWN_TAU_SECONDS = 10;

export interface ScheduleMetrics {
  readonly jobs: number;
  readonly ran: number;
  /** Jobs larger than the cluster: no scheduler can run them. */
  readonly tooLarge: number;
  /** Jobs that fit the cluster but never started (must be 0). */
  readonly neverRan: number;
  /** Busy cpu-seconds ÷ (cpus × time from the first submit to the last end). */
  readonly utilization: number;
  readonly meanWait: number;
  readonly p99Wait: number;
  /** The longest wait: starvation shows here. */
  readonly maxWait: number;
  /** Mean of max(1, (wait + run) / max(run, τ)), τ = 10 s. */
  readonly meanBoundedSlowdown: number;
  /** Time from the first submit to the last end (seconds). */
  readonly makespan: number;
  /** Users (SWF field 12) with at least one job that ran. */
  readonly users: number;
  /**
   * Jain's fairness index (Σx)² ÷ (n·Σx²) over users of x = 1 ÷ the user's mean bounded slowdown
   * (the part of its jobs' time in the system spent running): Jain's index measures allocations
   * where more is better. 1 when every user is served alike; one user left far behind while the
   * others are served well costs it about 1/n.
   */
  readonly jainIndex: number;
  /**
   * Jain's index over the mean bounded slowdowns themselves (a cost): dominated by the worst users,
   * so it falls when most users get faster while one outlier does not. Shown beside jainIndex.
   */
  readonly jainOfSlowdown: number;
  /** The user with the highest mean bounded slowdown. */
  readonly worstUser?: UserFigures;
}

export interface UserFigures {
  readonly user: number;
  readonly jobs: number;
  readonly meanBoundedSlowdown: number;
}

/** Bounded slowdown of one job that ran. */
export function boundedSlowdown(wait: number, runTime: number): number {
  return Math.max(1, (wait + runTime) / Math.max(runTime, SLOWDOWN_TAU_SECONDS));
}

/** Each user's mean bounded slowdown, Jain's index over them, and the worst-served user. */
export function userFairness(outcomes: readonly JobOutcome[]): { users: UserFigures[]; jainIndex: number; jainOfSlowdown: number; worstUser?: UserFigures } {
  const sums = new Map<number, { jobs: number; bsld: number }>();
  for (const o of outcomes) {
    if (o.start === undefined) continue;
    const s = sums.get(o.user);
    const b = boundedSlowdown(o.start - o.submit, o.runTime);
    if (s) {
      s.jobs++;
      s.bsld += b;
    } else sums.set(o.user, { jobs: 1, bsld: b });
  }
  const users = [...sums].map(([user, s]): UserFigures => ({ user, jobs: s.jobs, meanBoundedSlowdown: s.bsld / s.jobs })).sort((a, b) => a.user - b.user);
  let worst: UserFigures | undefined;
  for (const u of users) if (!worst || u.meanBoundedSlowdown > worst.meanBoundedSlowdown) worst = u;
  return {
    users,
    jainIndex: jain(users.map((u) => 1 / u.meanBoundedSlowdown)),
    jainOfSlowdown: jain(users.map((u) => u.meanBoundedSlowdown)),
    ...(worst ? { worstUser: worst } : {}),
  };
}

/** Jain's fairness index of non-negative amounts; 1 for none. */
export function jain(xs: readonly number[]): number {
  let sum = 0;
  let sumSq = 0;
  for (const x of xs) {
    sum += x;
    sumSq += x * x;
  }
  return sumSq > 0 ? (sum * sum) / (xs.length * sumSq) : 1;
}

/** The figures of one schedule of a trace on a cluster of `totalCpus`. */
export function scheduleMetrics(outcomes: readonly JobOutcome[], totalCpus: number): ScheduleMetrics {
  let ran = 0;
  let tooLarge = 0;
  let neverRan = 0;
  let busy = 0;
  let firstSubmit = Infinity;
  let lastEnd = -Infinity;
  let sumWait = 0;
  let maxWait = 0;
  let sumBsld = 0;
  const waits: number[] = [];
  for (const o of outcomes) {
    if (o.submit < firstSubmit) firstSubmit = o.submit;
    if (o.start === undefined) {
      if (o.procs > totalCpus) tooLarge++;
      else neverRan++;
      continue;
    }
    ran++;
    const wait = o.start - o.submit;
    waits.push(wait);
    sumWait += wait;
    if (wait > maxWait) maxWait = wait;
    sumBsld += boundedSlowdown(wait, o.runTime);
    busy += o.procs * o.runTime;
    const end = o.start + o.runTime;
    if (end > lastEnd) lastEnd = end;
  }
  const makespan = ran ? lastEnd - firstSubmit : 0;
  waits.sort((a, b) => a - b);
  const fairness = userFairness(outcomes);
  return {
    jobs: outcomes.length,
    ran,
    tooLarge,
    neverRan,
    utilization: makespan > 0 ? busy / (totalCpus * makespan) : 0,
    meanWait: ran ? sumWait / ran : 0,
    p99Wait: ran ? waits[Math.min(waits.length - 1, Math.ceil(0.99 * waits.length) - 1)] : 0,
    maxWait,
    meanBoundedSlowdown: ran ? sumBsld / ran : 0,
    makespan,
    users: fairness.users.length,
    jainIndex: fairness.jainIndex,
    jainOfSlowdown: fairness.jainOfSlowdown,
    ...(fairness.worstUser ? { worstUser: fairness.worstUser } : {}),
  };
}
