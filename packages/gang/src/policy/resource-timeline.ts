import { lowerBound } from './lower-bound';
/**
 * Free amounts of a few resources (cpus, mem, a quota's cores, ...) over future time as steps:
 * `free[d][i]` of dimension d from `times[i]` until `times[i + 1]`; the last step lasts for ever.
 * Built from what is free now and what running work gives back when (its wall-time limit), then
 * carved by planned starts: the availability profile of conservative backfilling.
 */
export class ResourceTimeline {
  private readonly times: number[];
  private readonly free: number[][];

  /** `releases` need not be sorted; one at or before `now` counts as free now. */
  constructor(now: number, freeNow: readonly number[], releases: ReadonlyArray<{ readonly at: number; readonly amounts: readonly number[] }>) {
    const sorted = [...releases].sort((a, b) => a.at - b.at);
    this.times = [now];
    this.free = freeNow.map((f) => [f]);
    const last = this.free.map((col) => col[0]);
    for (const r of sorted) {
      for (let d = 0; d < last.length; d++) last[d] += r.amounts[d] ?? 0;
      if (r.at <= this.times[this.times.length - 1]) {
        for (let d = 0; d < last.length; d++) this.free[d][this.free[d].length - 1] = last[d];
      } else {
        this.times.push(r.at);
        for (let d = 0; d < last.length; d++) this.free[d].push(last[d]);
      }
    }
  }

  /**
   * The earliest time ≥ `from` at which `need` stays free for `durationMs`; undefined when it never
   * does (more than everything that ever comes back).
   */
  earliestStart(need: readonly number[], durationMs: number, from: number): number | undefined {
    const { times } = this;
    const n = times.length;
    let i = this.stepAt(from);
    while (i < n) {
      if (!this.fitsAt(i, need)) { i++; continue; }
      const t = Math.max(times[i], from);
      let j = i + 1;
      let ok = true;
      while (j < n && times[j] < t + durationMs) {
        if (!this.fitsAt(j, need)) { ok = false; break; }
        j++;
      }
      if (ok) return t;
      i = j + 1;
    }
    return undefined;
  }

  /** Takes `need` from [start, start + durationMs). */
  reserve(start: number, durationMs: number, need: readonly number[]): void {
    const a = this.split(start);
    const b = this.split(start + durationMs);
    for (let d = 0; d < need.length; d++) {
      const col = this.free[d];
      for (let k = a; k < b; k++) col[k] -= need[d];
    }
  }

  private fitsAt(i: number, need: readonly number[]): boolean {
    for (let d = 0; d < need.length; d++) if (this.free[d][i] < need[d]) return false;
    return true;
  }

  /** Index of the step that contains `t` (0 for times before the first step). */
  private stepAt(t: number): number {
    let lo = 0;
    let hi = this.times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.times[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Index of the step starting exactly at `t`, inserting a breakpoint if needed. */
  private split(t: number): number {
    const { times } = this;
    if (t < times[0]) t = times[0];
    const lo = lowerBound(times, t);
    if (lo < times.length && times[lo] === t) return lo;
    times.splice(lo, 0, t);
    for (const col of this.free) col.splice(lo, 0, col[lo - 1]);
    return lo;
  }
}
