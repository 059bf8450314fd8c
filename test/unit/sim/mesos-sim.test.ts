import assert from 'node:assert/strict';
import { OfferPolicy } from '@msched/gang';
import { compareSchedulers, parseSwf, runMesos, SimMaster, type OfferSchedulerFactory, type TraceJob } from '@msched/sim';

const job = (id: number, submit: number, procs: number, runTime: number, wallTime: number, recordedRunTime = runTime): TraceJob =>
  ({ id, submit, procs, runTime, recordedRunTime, wallTime, exactEstimate: false, user: -1, group: -1 });

/** A small synthetic trace: bursts of gangs of mixed sizes on 4 agents × 4 cpus. */
function syntheticTrace(n: number): TraceJob[] {
  const jobs: TraceJob[] = [];
  let x = 12345;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < n; i++) {
    const run = 10 + Math.floor(next() * 600);
    jobs.push(job(i + 1, Math.floor(i * 40 + next() * 30), 1 + Math.floor(next() * 12), run, run + Math.floor(next() * 900)));
  }
  return jobs.sort((a, b) => a.submit - b.submit || a.id - b.id);
}

const shape = { agents: 4, cpusPerAgent: 4 };

describe('Mesos simulation through the dispatcher policy', () => {
  it('is deterministic: the same trace gives the same schedule and counters', () => {
    const jobs = syntheticTrace(120);
    const a = runMesos(jobs, shape);
    const b = runMesos(jobs, shape);
    assert.deepEqual(a.outcomes, b.outcomes);
    assert.deepEqual(a.counters, b.counters);
    const withSerial = { serial: { load: 0.2, meanRunSeconds: 60, seed: 7 } };
    assert.deepEqual(runMesos(jobs, shape, withSerial).outcomes, runMesos(jobs, shape, withSerial).outcomes);
    const strip = (c: ReturnType<typeof compareSchedulers>) => JSON.stringify(c, (k, v) => (k === 'cpuSeconds' || k === 'jobsPerCpuSecond' ? undefined : v));
    const trace = { header: {}, jobs, skipped: new Map(), exactEstimates: 0, dataLines: jobs.length };
    assert.equal(strip(compareSchedulers('t', trace, shape)), strip(compareSchedulers('t', trace, shape)));
  });

  it('launches a gang queued on an idle cluster at once: its REVIVE makes the master allocate then, as Mesos does', () => {
    const r = runMesos([job(1, 0, 6, 100, 200)], shape);
    assert.equal(r.outcomes[0].start, 0); // not at the next allocation interval (1 s)
    assert.equal(r.counters.launches, 1);
    assert.ok(r.counters.offers >= 2, 'the 6 ranks take offers of two agents');
  });

  it('kills a gang at its wall-time limit through GangFate, and its resources come back', () => {
    const r = runMesos([job(1, 0, 16, 50, 50, 500), job(2, 10, 16, 20, 20)], shape);
    assert.equal(r.counters.wallTimeKills, 1);
    assert.equal(r.outcomes[0].runTime, 50);
    assert.equal(r.outcomes[1].start, 50); // killed at 0 + 50 s; the policy's REVIVE at the end makes the master offer its cpus at once
    const noRevive = runMesos([job(1, 0, 16, 50, 50, 500), job(2, 10, 16, 20, 20)], shape, { policyConfig: { reviveOnGangEnd: false } });
    assert.equal(noRevive.outcomes[1].start, 51); // freed cpus wait for the next periodic allocation, 51 s
  });

  it('fails a gang larger than the cluster with the policy\'s reason, and runs the rest', () => {
    const r = runMesos([job(1, 0, 17, 10, 10), job(2, 0, 2, 10, 10)], shape);
    assert.equal(r.outcomes[0].start, undefined);
    assert.match(r.outcomes[0].notRun ?? '', /can never run on this cluster/);
    assert.equal(r.outcomes[1].start, 0);
  });

  it('backfills as the policy decides: on what the head leaves over only when backfillOnSpare is on', () => {
    // 16 cpus. J1 (12) runs; head J2 (8) waits for J1's end at 1000; J3 (4, wall 5000) would run past it.
    // At J2's reservation 16 are free and it takes 8: J3 fits on the spare 8, unless the rule is off.
    const jobs = [job(1, 0, 12, 1000, 1000), job(2, 5, 8, 100, 100), job(3, 6, 4, 5000, 5000)];
    const on = runMesos(jobs, shape);
    assert.equal(on.outcomes[2].start, 6); // at once, on the offers held for J2
    const off = runMesos(jobs, shape, { policyConfig: { backfillOnSpare: false } });
    assert.equal(off.outcomes[2].start, 1000); // when J1 ends at 1000 (the REVIVE at its end: the master allocates at once)
    const offNoRevive = runMesos(jobs, shape, { policyConfig: { backfillOnSpare: false, reviveOnGangEnd: false } });
    assert.equal(offNoRevive.outcomes[2].start, 1001); // at the next periodic allocation
  });

  it('drives any policy with the same contract (pluggable)', () => {
    let calls = 0;
    const counting: OfferSchedulerFactory = (config) => {
      const p = new OfferPolicy(config);
      return { handle: (e, now) => { calls++; return p.handle(e, now); }, get heldOffers() { return p.heldOffers; } };
    };
    const r = runMesos(syntheticTrace(20), shape, { policy: counting });
    assert.equal(r.counters.policyCalls, calls);
    assert.equal(r.outcomes.filter((o) => o.start !== undefined).length, 20);
  });

  it('shares the cluster with a serial framework that takes offers too', () => {
    const jobs = syntheticTrace(100);
    const r = runMesos(jobs, shape, { serial: { load: 0.3, meanRunSeconds: 60, seed: 3 } });
    assert.ok(r.counters.serialStarted > 0);
    assert.equal(r.outcomes.filter((o) => o.start === undefined).length, 0, 'every gang still runs');
  });

  it('parses a tiny SWF trace and compares ours with the baselines on it', () => {
    const swf = ['; MaxNodes: 2', '; MaxProcs: 8', ...syntheticTrace(30).map((j) => `${j.id} ${j.submit} 0 ${j.runTime} ${j.procs} -1 -1 ${Math.min(j.procs, 8)} ${j.wallTime} -1 1 1 1 1 1 1 -1 -1`)].join('\n');
    const c = compareSchedulers('tiny.swf', parseSwf(swf), { agents: 2, cpusPerAgent: 4 });
    assert.deepEqual(c.results.map((r) => r.scheduler), ['ours', 'FCFS', 'EASY', 'Conservative']);
    for (const r of c.results) assert.equal(r.neverRan, 0, r.scheduler);
    assert.equal(c.results.find((r) => r.scheduler === 'EASY')?.vsEasy?.meanBoundedSlowdown, 1);
  });
});

describe('simulated Mesos master', () => {
  it('allocates at once after a REVIVE, and only at the interval after resources come back otherwise (Mesos\' allocator)', () => {
    const m = new SimMaster({ agents: 1, cpusPerAgent: 4 }, { allocationIntervalMs: 1000 });
    m.subscribe('fw', 'r', true);
    assert.equal(m.nextAllocationAt(2500), 3000, 'a new subscription waits for the periodic batch');
    m.allocate(3000);
    m.revive('fw');
    assert.equal(m.nextAllocationAt(3200), 3200);
    const [o] = m.allocate(3200).get('fw') ?? [];
    m.accept('fw', [o.id.value], [{ taskId: 't', agentId: o.agent_id.value, cpus: 4, mem: 4096 }], 0, 3200);
    m.taskEnded('t');
    assert.equal(m.nextAllocationAt(3700), 4000);
  });

  it('honours decline filters, REVIVE and SUPPRESS', () => {
    const m = new SimMaster({ agents: 2, cpusPerAgent: 4 }, { allocationIntervalMs: 1000 });
    m.subscribe('fw', 'r');
    const first = m.allocate(0).get('fw') ?? [];
    assert.equal(first.length, 2);
    m.decline('fw', [first[0].id.value], 10, 0);
    m.decline('fw', [first[1].id.value], 0, 0);
    assert.deepEqual((m.allocate(1000).get('fw') ?? []).map((o) => o.agent_id.value), ['agent-00001']);
    m.revive('fw');
    const again = m.allocate(2000).get('fw') ?? [];
    assert.deepEqual(again.map((o) => o.agent_id.value), ['agent-00000']);
    m.decline('fw', [again[0].id.value], 0, 2000);
    m.suppress('fw');
    assert.equal(m.allocate(3000).get('fw'), undefined);
    assert.equal(m.nextAllocationAt(3000), undefined);
  });
});
