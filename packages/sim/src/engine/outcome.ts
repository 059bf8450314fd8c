/** What happened to one trace job under one scheduler; times in seconds from the start of the log. */
export interface JobOutcome {
  readonly jobId: number;
  readonly submit: number;
  readonly procs: number;
  /** SWF user id (-1 unknown): the figures per user read it. */
  readonly user: number;
  /** Undefined when the job never started. */
  readonly start?: number;
  /** Seconds it ran (its run time, cut at its wall-time limit). */
  readonly runTime: number;
  /** Why it never started (e.g. larger than the cluster); undefined for jobs that ran. */
  readonly notRun?: string;
}

/** A scheduler run over one trace: an outcome per job, in trace order. */
export interface ScheduleResult {
  readonly scheduler: string;
  readonly outcomes: readonly JobOutcome[];
  /** CPU seconds the run took (user + system of this process). */
  readonly cpuSeconds: number;
  /** Scheduler-specific counters (offers made, declines, revives, ...). */
  readonly counters?: Readonly<Record<string, number>>;
}

/** CPU seconds used by `fn`, with its result. */
export function timed<T>(fn: () => T): { value: T; cpuSeconds: number } {
  const before = process.cpuUsage();
  const value = fn();
  const d = process.cpuUsage(before);
  return { value, cpuSeconds: (d.user + d.system) / 1e6 };
}
