import assert from 'node:assert/strict';
import { AvailabilityProfile, ConservativeScheduler, EasyScheduler, FcfsScheduler, runPool, scheduleMetrics, type PoolScheduler, type TraceJob } from '@msched/sim';

const job = (id: number, submit: number, procs: number, runTime: number, wallTime: number): TraceJob =>
  ({ id, submit, procs, runTime, recordedRunTime: runTime, wallTime, exactEstimate: false, user: -1, group: -1 });

const starts = (jobs: TraceJob[], cpus: number, s: PoolScheduler) =>
  Object.fromEntries(runPool(jobs, cpus, s).map((o) => [`J${o.jobId}`, o.start]));

/*
 * The 5-job example, 4 cpus, worked out by hand:
 *   J1 t=0 2 cpus run 10 wall 10: starts at 0 (2 free left).
 *   J2 t=1 4 cpus run 5 wall 5: does not fit; it is the head. Shadow time 10 (J1's wall-time end
 *      frees 2, with the 2 free that makes 4), extra cpus then 4 - 4 = 0.
 *   J3 t=2 1 cpu wall 8: fits, and 2 + 8 = 10 <= 10, so it cannot delay J2: backfilled at 2.
 *   J4 t=3 1 cpu wall 20: fits (1 free) but 3 + 20 > 10 and no extra cpus: it would delay J2, waits.
 *   J5 t=4 1 cpu wall 6 (run 2): J4 waits, but J5 ends by 4 + 6 = 10: backfilled at 4, past J4.
 *   t=6, t=7: J5, J3 end; J4 still would run past 10 with no extra cpus.
 *   t=10: J1 ends, J2 starts (all 4 cpus); J4 is the head, J2 ends at 15: J4 starts at 15.
 */
const FIVE = [job(1, 0, 2, 10, 10), job(2, 1, 4, 5, 5), job(3, 2, 1, 5, 8), job(4, 3, 1, 5, 20), job(5, 4, 1, 2, 6)];

describe('reference schedulers', () => {
  it('EASY: reservation for the head, backfill only of jobs that end before it, on the hand-worked 5-job trace', () => {
    assert.deepEqual(starts(FIVE, 4, new EasyScheduler()), { J1: 0, J2: 10, J3: 2, J4: 15, J5: 4 });
  });

  it('EASY: a job that runs past the shadow time starts when it fits in the extra cpus, which it uses up', () => {
    // 4 cpus. J1 (3 cpus, wall 10) runs; head J2 needs 2: shadow 10, extra 4 - 2 = 2.
    // J3 (1 cpu, wall 100) does not end by 10 but fits the extra cpus: it starts at 2 and takes 1.
    // J4 (1 cpu) finds no free cpu at 3; J1 ends at 10: J2 starts, then J4 fits beside it.
    const jobs = [job(1, 0, 3, 10, 10), job(2, 1, 2, 5, 5), job(3, 2, 1, 100, 100), job(4, 3, 1, 100, 100)];
    assert.deepEqual(starts(jobs, 4, new EasyScheduler()), { J1: 0, J2: 10, J3: 2, J4: 10 });
  });

  it('FCFS on the same trace: nothing passes the head', () => {
    assert.deepEqual(starts(FIVE, 4, new FcfsScheduler()), { J1: 0, J2: 10, J3: 15, J4: 15, J5: 15 });
  });

  it('conservative backfilling on the same trace: every job keeps its reservation, compressed on early ends', () => {
    assert.deepEqual(starts(FIVE, 4, new ConservativeScheduler()), { J1: 0, J2: 10, J3: 2, J4: 15, J5: 4 });
    // J2 ends early (run 1 of wall 5): J4's reservation moves up from 15 to 11.
    const early = [job(1, 0, 2, 10, 10), job(2, 1, 4, 1, 5), job(3, 2, 1, 5, 8), job(4, 3, 1, 5, 20)];
    assert.deepEqual(starts(early, 4, new ConservativeScheduler()), { J1: 0, J2: 10, J3: 2, J4: 11 });
  });

  it('an availability profile finds the first hole long enough', () => {
    const p = new AvailabilityProfile(0, 1, [{ at: 10, cpus: 3 }]);
    assert.equal(p.earliestStart(1, 100), 0);
    assert.equal(p.earliestStart(2, 5), 10);
    p.reserve(10, 5, 4);
    assert.equal(p.earliestStart(2, 5), 15);
    assert.equal(p.earliestStart(1, 10), 0);
    assert.equal(p.earliestStart(1, 11), 15);
  });

  it('jobs larger than the machine never run and are counted apart', () => {
    const out = runPool([job(1, 0, 8, 10, 10), job(2, 0, 2, 10, 10)], 4, new EasyScheduler());
    assert.equal(out[0].start, undefined);
    assert.match(out[0].notRun ?? '', /needs 8 cpus, the cluster has 4/);
    const m = scheduleMetrics(out, 4);
    assert.equal(m.tooLarge, 1);
    assert.equal(m.neverRan, 0);
  });

  it('metrics: wait, bounded slowdown with τ = 10 s, utilization', () => {
    const m = scheduleMetrics([
      { jobId: 1, submit: 0, procs: 2, user: 1, start: 0, runTime: 100 },
      { jobId: 2, submit: 0, procs: 2, user: 2, start: 100, runTime: 1 },
    ], 4);
    assert.equal(m.meanWait, 50);
    assert.equal(m.maxWait, 100);
    // J1: max(1, 100/100) = 1; J2: (100 + 1) / max(1, 10) = 10.1.
    assert.equal(m.meanBoundedSlowdown, (1 + 10.1) / 2);
    assert.equal(m.utilization, (2 * 100 + 2 * 1) / (4 * 101));
  });

  it('metrics per user: mean bounded slowdown, Jain\'s index over users (of speed and of slowdown), the worst-served user', () => {
    // User 1: bsld 1 and 3 (wait 200, run 100) -> 2. User 2: 10.1 (as above). User 3: 1.
    const m = scheduleMetrics([
      { jobId: 1, submit: 0, procs: 1, user: 1, start: 0, runTime: 100 },
      { jobId: 2, submit: 0, procs: 1, user: 1, start: 200, runTime: 100 },
      { jobId: 3, submit: 0, procs: 1, user: 2, start: 100, runTime: 1 },
      { jobId: 4, submit: 0, procs: 1, user: 3, start: 0, runTime: 50 },
    ], 4);
    assert.equal(m.users, 3);
    assert.ok(Math.abs(m.jainOfSlowdown - (2 + 10.1 + 1) ** 2 / (3 * (4 + 10.1 ** 2 + 1))) < 1e-12);
    // Over speeds 1/2, 1/10.1, 1.
    assert.ok(Math.abs(m.jainIndex - (0.5 + 1 / 10.1 + 1) ** 2 / (3 * (0.25 + 1 / 10.1 ** 2 + 1))) < 1e-12);
    assert.deepEqual(m.worstUser, { user: 2, jobs: 1, meanBoundedSlowdown: 10.1 });
    // Everyone alike: 1.
    assert.equal(scheduleMetrics([{ jobId: 1, submit: 0, procs: 1, user: 1, start: 0, runTime: 5 }, { jobId: 2, submit: 0, procs: 1, user: 2, start: 0, runTime: 9 }], 4).jainIndex, 1);
  });
});
