import type { PoolScheduler, PoolView } from './pool-sim';

/** The head job's reservation: when enough cpus are expected free, and how many it leaves spare then. */
export interface ShadowReservation {
  /** The earliest time the head fits if running jobs run to their wall time. */
  readonly shadowTime: number;
  /** Cpus free at the shadow time beyond what the head takes ("extra" cpus). */
  readonly extra: number;
}

/** Where the head of the queue is guaranteed to start, from the running jobs' wall-time ends. */
export function shadowOf(view: PoolView, headProcs: number): ShadowReservation {
  let avail = view.free();
  for (const r of view.running) {
    avail += r.job.procs;
    if (avail >= headProcs) return { shadowTime: r.expectedEnd, extra: avail - headProcs };
  }
  // Cannot happen for a job no larger than the machine: everything ends eventually.
  throw new Error(`head job of ${headProcs} cpus does not fit even when every running job has ended`);
}

/**
 * EASY backfilling (Lifka 1995; Mu'alem & Feitelson, IEEE TPDS 2001): jobs start in submit order
 * while they fit; the first that does not gets a reservation at the shadow time; a later job may
 * start now if it fits and either ends (by its wall time) before the shadow time, or uses only
 * cpus the head will not need then (the extra cpus, which it then consumes).
 */
export class EasyScheduler implements PoolScheduler {
  readonly name = 'EASY';
  schedule(view: PoolView): void {
    const { queue } = view;
    while (queue.length && queue[0].procs <= view.free()) view.start(0);
    if (queue.length < 2 || view.free() === 0) return;
    let { shadowTime, extra } = shadowOf(view, queue[0].procs);
    for (let i = 1; i < queue.length && view.free() > 0;) {
      const job = queue[i];
      if (job.procs <= view.free()) {
        if (view.now + job.wallTime <= shadowTime) {
          view.start(i);
          continue;
        }
        if (job.procs <= extra) {
          extra -= job.procs;
          view.start(i);
          continue;
        }
      }
      i++;
    }
  }
}
