import { lowerBound } from '@msched/gang';
import type { TraceJob } from '../swf/parse-swf';
import type { PoolScheduler, PoolView } from './pool-sim';

/**
 * Free cpus over future time as steps: `free[i]` from `times[i]` until `times[i + 1]` (the last step
 * lasts for ever). Built from the running jobs' wall-time ends, then carved by reservations.
 */
export class AvailabilityProfile {
  readonly times: number[];
  readonly free: number[];

  constructor(now: number, freeNow: number, releases: ReadonlyArray<{ at: number; cpus: number }>) {
    this.times = [now];
    this.free = [freeNow];
    let f = freeNow;
    for (const r of releases) {
      f += r.cpus;
      if (r.at <= this.times[this.times.length - 1]) this.free[this.free.length - 1] = f;
      else {
        this.times.push(r.at);
        this.free.push(f);
      }
    }
  }

  /** The earliest time at or after the profile's start when `cpus` stay free for `duration`. */
  earliestStart(cpus: number, duration: number): number {
    const { times, free } = this;
    const n = times.length;
    let i = 0;
    while (i < n) {
      if (free[i] < cpus) { i++; continue; }
      const t = times[i];
      let j = i + 1;
      let ok = true;
      while (j < n && times[j] < t + duration) {
        if (free[j] < cpus) { ok = false; break; }
        j++;
      }
      if (ok) return t;
      i = j + 1;
    }
    throw new Error(`no time at which ${cpus} cpus are free`);
  }

  /** Forgets the past: the profile starts at `now`. */
  advance(now: number): void {
    let k = 0;
    while (k + 1 < this.times.length && this.times[k + 1] <= now) k++;
    if (k) {
      this.times.splice(0, k);
      this.free.splice(0, k);
    }
    if (this.times[0] < now) this.times[0] = now;
  }

  /** Takes `cpus` from [start, start + duration). */
  reserve(start: number, duration: number, cpus: number): void {
    const a = this.split(start);
    const b = this.split(start + duration);
    for (let k = a; k < b; k++) this.free[k] -= cpus;
  }

  /** Index of the step starting exactly at `t`, inserting a breakpoint if needed. */
  private split(t: number): number {
    const { times, free } = this;
    const lo = lowerBound(times, t);
    if (lo < times.length && times[lo] === t) return lo;
    times.splice(lo, 0, t);
    free.splice(lo, 0, free[lo - 1]);
    return lo;
  }
}

/**
 * Conservative backfilling (Mu'alem & Feitelson 2001): every waiting job holds a reservation at the
 * earliest time it fits without delaying any earlier job's; a job starts when its reservation is now.
 * When a job ends before its wall time the schedule is compressed (every reservation made again in
 * submit order); an arrival only adds its own reservation.
 */
export class ConservativeScheduler implements PoolScheduler {
  readonly name = 'Conservative';
  private profile: AvailabilityProfile | undefined;
  private readonly reserved = new Map<TraceJob, number>();

  schedule(view: PoolView, changes: { readonly arrived: number; readonly endedEarly: boolean; readonly ended: number }): void {
    const { queue } = view;
    if (queue.length === 0) {
      this.profile = undefined;
      this.reserved.clear();
      return;
    }
    if (!this.profile || changes.endedEarly) {
      this.profile = new AvailabilityProfile(view.now, view.free(), view.running.map((r) => ({ at: r.expectedEnd, cpus: r.job.procs })));
      this.reserved.clear();
      for (const job of queue) this.reserveFor(job);
    } else {
      this.profile.advance(view.now);
      for (let i = queue.length - changes.arrived; i < queue.length; i++) this.reserveFor(queue[i]);
    }
    for (let i = 0; i < queue.length;) {
      const job = queue[i];
      if (this.reserved.get(job) === view.now) {
        this.reserved.delete(job);
        view.start(i);
      } else i++;
    }
  }

  private reserveFor(job: TraceJob): void {
    const p = this.profile!;
    const t = p.earliestStart(job.procs, job.wallTime);
    p.reserve(t, job.wallTime, job.procs);
    this.reserved.set(job, t);
  }
}
