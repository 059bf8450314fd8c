import type { TraceJob } from '../swf/parse-swf';
import type { JobOutcome } from '../engine/outcome';

/** A job on the machine, as the reference schedulers see it. */
export interface PoolRunning {
  readonly job: TraceJob;
  readonly start: number;
  /** start + wall time: when the scheduler must assume it ends (it may end earlier). */
  readonly expectedEnd: number;
}

/** What a reference scheduler may read when it decides, and how it starts a job. */
export interface PoolView {
  readonly now: number;
  readonly totalCpus: number;
  /** Free cpus now. */
  free(): number;
  /** Waiting jobs in submit order. */
  readonly queue: readonly TraceJob[];
  /** Running jobs in order of expected end (earliest first). */
  readonly running: readonly PoolRunning[];
  /** Starts queue[index] now (it must fit); the queue shifts. */
  start(index: number): void;
}

/** A reference scheduler without offers: it sees the whole machine and starts jobs directly. */
export interface PoolScheduler {
  readonly name: string;
  /** Called after every batch of arrivals and ends at one instant. `ended`: a job ended before its wall time. */
  schedule(view: PoolView, changes: { readonly arrived: number; readonly endedEarly: boolean; readonly ended: number }): void;
}

/**
 * Replays a trace on a machine of `totalCpus` interchangeable cpus (the same cluster as the Mesos
 * simulation: ranks of one cpu can be split over agents in any way, so only the count matters).
 * Events are processed per instant: every end and arrival at time t, then one scheduling pass.
 */
export function runPool(jobs: readonly TraceJob[], totalCpus: number, scheduler: PoolScheduler): JobOutcome[] {
  const starts = new Map<TraceJob, number>();
  const queue: TraceJob[] = [];
  const running: PoolRunning[] = [];
  let free = totalCpus;
  let next = 0;
  const notRun = new Set<TraceJob>();
  // Ends as a min-heap on (end time) via a sorted insertion list of pending ends: end times are known at start.
  const ends: Array<{ at: number; r: PoolRunning }> = [];
  const pushEnd = (e: { at: number; r: PoolRunning }) => {
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid].at > e.at) lo = mid + 1; // kept in descending order: pop() takes the earliest
      else hi = mid;
    }
    ends.splice(lo, 0, e);
  };
  const insertRunning = (r: PoolRunning) => {
    let lo = 0;
    let hi = running.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (running[mid].expectedEnd <= r.expectedEnd) lo = mid + 1;
      else hi = mid;
    }
    running.splice(lo, 0, r);
  };
  let now = 0;
  const view: PoolView = {
    get now() { return now; },
    totalCpus,
    free: () => free,
    queue,
    running,
    start(index: number) {
      const job = queue[index];
      if (job.procs > free) throw new Error(`${scheduler.name} started job ${job.id} (${job.procs} cpus) with ${free} free`);
      queue.splice(index, 1);
      free -= job.procs;
      starts.set(job, now);
      const r: PoolRunning = { job, start: now, expectedEnd: now + job.wallTime };
      insertRunning(r);
      pushEnd({ at: now + job.runTime, r });
    },
  };

  while (next < jobs.length || ends.length) {
    const nextArrival = next < jobs.length ? jobs[next].submit : Infinity;
    const nextEnd = ends.length ? ends[ends.length - 1].at : Infinity;
    now = Math.min(nextArrival, nextEnd);
    let endedEarly = false;
    let ended = 0;
    while (ends.length && ends[ends.length - 1].at === now) {
      const { r } = ends.pop()!;
      free += r.job.procs;
      running.splice(running.indexOf(r), 1);
      if (now < r.expectedEnd) endedEarly = true;
      ended++;
    }
    let arrived = 0;
    while (next < jobs.length && jobs[next].submit === now) {
      const job = jobs[next++];
      if (job.procs > totalCpus) notRun.add(job);
      else {
        queue.push(job);
        arrived++;
      }
    }
    scheduler.schedule(view, { arrived, endedEarly, ended });
  }
  return jobs.map((job): JobOutcome => {
    const start = starts.get(job);
    if (start !== undefined) return { jobId: job.id, submit: job.submit, procs: job.procs, user: job.user, runTime: job.runTime, start };
    return { jobId: job.id, submit: job.submit, procs: job.procs, user: job.user, runTime: job.runTime, notRun: notRun.has(job) ? `needs ${job.procs} cpus, the cluster has ${totalCpus}` : 'never started' };
  });
}
