import assert from 'node:assert/strict';
import { DEFAULT_FAIR_SHARE } from '@msched/gang';
import { EasyScheduler, estimateAccuracy, EstimateSamples, MultifactorScheduler, runPool, traceTenants, type TraceJob } from '@msched/sim';

const job = (id: number, submit: number, procs: number, runTime: number, user: number, group = -1): TraceJob =>
  ({ id, submit, procs, runTime, recordedRunTime: runTime, wallTime: runTime, exactEstimate: false, user, group });

describe('simulator: gateways, the multifactor baseline, estimate accuracy', () => {
  it('makes gateways of a few groups, else deals users into 4 gateways by id', () => {
    const grouped = traceTenants([job(1, 0, 1, 1, 7, 1), job(2, 0, 1, 1, 8, 2), job(3, 0, 1, 1, 9, -1)]);
    assert.equal(grouped.tenantOf(job(1, 0, 1, 1, 7, 1)).gateway, 'g1');
    assert.deepEqual(grouped.tenantOf(job(3, 0, 1, 1, 9, -1)), { gateway: 'g-unknown', user: 'u9' });
    const oneGroup = traceTenants([job(1, 0, 1, 1, 5, 1), job(2, 0, 1, 1, 6, 1)]);
    assert.deepEqual(oneGroup.tenantOf(job(1, 0, 1, 1, 5, 1)), { gateway: 'gw1', user: 'u5' });
    assert.deepEqual(oneGroup.tenantOf(job(2, 0, 1, 1, 6, 1)), { gateway: 'gw2', user: 'u6' });
    assert.match(oneGroup.how, /^1 group: users \(SWF field 12\) dealt into 4 gateways by user id mod 4$/);
    const many = traceTenants(Array.from({ length: 17 }, (_, i) => job(i, 0, 1, 1, i, i)));
    assert.match(many.how, /^17 groups, more than 16/);
  });

  it('multifactor: a light user\'s later job goes before a heavy user\'s waiting one', () => {
    // 4 cpus. u1's first job runs 0–100. At 100, u1 has used 400 core-s (factor 1/8), u2 nothing:
    // u2's job (submitted at 20) starts before u1's second (submitted at 10). EASY keeps submit order.
    const jobs = [job(1, 0, 4, 100, 1), job(2, 10, 4, 100, 1), job(3, 20, 4, 100, 2)];
    const tenants = traceTenants(jobs);
    const mf = Object.fromEntries(runPool(jobs, 4, new MultifactorScheduler(tenants.tenantOf, DEFAULT_FAIR_SHARE)).map((o) => [o.jobId, o.start]));
    assert.deepEqual(mf, { 1: 0, 2: 200, 3: 100 });
    const easy = Object.fromEntries(runPool(jobs, 4, new EasyScheduler()).map((o) => [o.jobId, o.start]));
    assert.deepEqual(easy, { 1: 0, 2: 100, 3: 200 });
  });

  it('measures expected starts against actual starts per queue position', () => {
    const s = new EstimateSamples();
    s.add(1, 1, 0, 100); // started at 80: 20 s late, 25 % of the 80 s it still had to wait
    s.add(2, 1, 0, 50); // exact
    s.add(3, 2, 10, undefined);
    // Job 1 was submitted at -120: its whole wait is 200 s, so the 20 s are 10 % of it.
    const [p1, p2] = estimateAccuracy(s, new Map([[1, 80], [2, 50], [3, 30]]), new Map([[1, -120], [2, 0], [3, 0]]));
    assert.deepEqual(p1, { position: 1, samples: 2, noEstimate: 0, meanAbsError: 10, medianAbsError: 10, medianRelativeError: 0.125, medianErrorOfWait: 0.05, within20: 0.5, meanBias: 10 });
    assert.equal(p2.noEstimate, 1);
    assert.equal(p2.samples, 0);
  });
});
