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
    sumBsld += Math.max(1, (wait + o.runTime) / Math.max(o.runTime, SLOWDOWN_TAU_SECONDS));
    busy += o.procs * o.runTime;
    const end = o.start + o.runTime;
    if (end > lastEnd) lastEnd = end;
  }
  const makespan = ran ? lastEnd - firstSubmit : 0;
  waits.sort((a, b) => a - b);
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
  };
}
