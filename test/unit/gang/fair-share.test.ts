import assert from 'node:assert/strict';
import {
  fairShareFactors, gangPriority, OfferPolicy, plannedRunFraction, tenantKey, UsageLedger,
  type FairShareConfig, type GangRequest, type OfferPolicyConfig, type PolicyDecision, type RunningGang, type Tenant, type WaitingGang,
} from '@msched/gang';
import type { AgentState, ClusterState } from '@msched/mesos';
import { offer } from './support/offers';

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
const H = 3_600_000;
const WEEK = 7 * 24 * 3600;
const fair: FairShareConfig = { halfLifeSeconds: WEEK, gatewayShares: {}, fairShareWeight: 1000, ageWeightPerHour: 10 };
const config: OfferPolicyConfig = {
  roles: ['mpi'], holdSeconds: 30, declineRefuseSeconds: 10, idleRefuseSeconds: 300, reservationAgingSeconds: 600, order: 'fair-share', fairShare: fair,
};
const t = (gateway: string, user: string): Tenant => ({ gateway, user });
const gang = (gangId: string, tenant: Tenant, r: Partial<GangRequest> = {}, queuedAt = T0, wallTimeSeconds = 3600): WaitingGang => ({
  gangId, tenant, wallTimeSeconds, queuedAt, request: { ranks: 4, cpusPerRank: 1, memMbPerRank: 1024, role: 'mpi', ...r },
});
const launched = (d: PolicyDecision[]) => d.flatMap((x) => (x.type === 'launch' ? [x.gangId] : []));
const running = (gangId: string, tenant: Tenant, cpus: number, launchedAt: number, expectedEndAt: number, agentId = 'a'): RunningGang => ({
  gangId, role: 'mpi', tenant, launchedAt, expectedEndAt, shares: [{ agentId, hostname: agentId, cpus, mem: cpus * 1024, disk: 0 }],
});
function clusterOf(agents: Array<[string, number]>): ClusterState {
  const amounts = (cpus: number, mem: number) => ({ cpus, mem, disk: 0, gpus: 0, ports: [{ begin: 31000, end: 31999 }] });
  return {
    masterUrl: 'http://m:5050',
    agents: agents.map(([id, cpus]): AgentState => ({
      id, hostname: id, active: true, attributes: {}, total: amounts(cpus, cpus * 1024), used: amounts(0, 0), offered: amounts(0, 0), reservedByRole: {},
    })),
  };
}

describe('fair share: usage, factors and priority', () => {
  it('decays usage by half each half-life, also when charged at different times', () => {
    const l = new UsageLedger(WEEK);
    l.charge(t('A', 'a'), 3600, T0);
    assert.equal(l.usageAt(t('A', 'a'), T0), 3600);
    assert.equal(l.usageAt(t('A', 'a'), T0 + WEEK * 1000), 1800);
    assert.equal(l.usageAt(t('A', 'a'), T0 + 2 * WEEK * 1000), 900);
    // 1800 left after a week, plus 1000 fresh: 2800 then, 1400 a week later.
    l.charge(t('A', 'a'), 1000, T0 + WEEK * 1000);
    assert.equal(l.usageAt(t('A', 'a'), T0 + 2 * WEEK * 1000), 1400);
    assert.equal(l.usageAt(t('B', 'b'), T0), 0);
  });

  it('seeds usage loaded at takeover, replacing what the tenant had', () => {
    const l = new UsageLedger(WEEK);
    l.charge(t('A', 'a'), 10, T0);
    l.seed([{ tenant: t('A', 'a'), coreSeconds: 800, asOf: T0 - WEEK * 1000 }]);
    assert.equal(l.usageAt(t('A', 'a'), T0), 400);
    assert.throws(() => l.seed([{ tenant: t('A', 'a'), coreSeconds: -1, asOf: T0 }]), /finite number of core-seconds ≥ 0/);
  });

  it('computes the two-level factor 2^(-usage/share) on a hand-worked case', () => {
    // Gateways A and B share equally. A used 300 (all by a1), B 100 (all by b1); total 400.
    // A: 2^(-0.75/0.5) = 2^-1.5; B: 2^(-0.25/0.5) = 2^-0.5.
    // In A, a1 has all of it against a share of 1/2: 2^-2; a2 nothing: 1. In B, b1 alone: 2^-1.
    const f = fairShareFactors([
      { tenant: t('A', 'a1'), coreSeconds: 300 }, { tenant: t('A', 'a2'), coreSeconds: 0 }, { tenant: t('B', 'b1'), coreSeconds: 100 },
    ], {});
    assert.ok(Math.abs(f.get(tenantKey(t('A', 'a1')))! - 2 ** -3.5) < 1e-12);
    assert.ok(Math.abs(f.get(tenantKey(t('A', 'a2')))! - 2 ** -1.5) < 1e-12);
    assert.ok(Math.abs(f.get(tenantKey(t('B', 'b1')))! - 2 ** -1.5) < 1e-12);
    // With shares 3:1 for A, A's 75 % is exactly its share: 2^-1 for A, and B's 25 % too.
    const g = fairShareFactors([{ tenant: t('A', 'a1'), coreSeconds: 300 }, { tenant: t('B', 'b1'), coreSeconds: 100 }], { A: 3 });
    assert.ok(Math.abs(g.get(tenantKey(t('A', 'a1')))! - 2 ** -2) < 1e-12);
    assert.ok(Math.abs(g.get(tenantKey(t('B', 'b1')))! - 2 ** -2) < 1e-12);
  });

  it('adds age without bound to the fair-share points', () => {
    assert.equal(gangPriority(fair, 0.5, T0, T0), 500);
    assert.equal(gangPriority(fair, 0.5, T0, T0 + 30 * H), 800);
    assert.equal(gangPriority(fair, 0, T0, T0 + 1000 * H), 10_000);
  });
});

describe('fair share in the offer policy', () => {
  const offer4 = (id: string) => ({ type: 'offers' as const, offers: [offer({ id, agent: 'a', cpus: 4, mem: 65536 })] });

  it('starts the light user\'s later gang before the heavy user\'s earlier one', () => {
    const p = new OfferPolicy(config);
    p.handle({ type: 'usageLoaded', usage: [{ tenant: t('A', 'heavy'), coreSeconds: 1e6, asOf: T0 }] }, T0);
    p.handle({ type: 'gangQueued', gang: gang('h1', t('A', 'heavy'), {}, T0) }, T0);
    p.handle({ type: 'gangQueued', gang: gang('l1', t('B', 'light'), {}, T0 + 60_000) }, T0 + 60_000);
    assert.match(p.explain('l1', T0 + 61_000)!, /^#1 in the queue/);
    assert.deepEqual(launched(p.handle(offer4('O-1'), T0 + 61_000)), ['l1']);
  });

  it('reserves for the highest-priority gang and backfills only what cannot delay it', () => {
    // r (4 cpus on a) ends at 1 h; b's 4 cpus are offered. light's 8-cpu gang ranks first, does not
    // fit, and is expected to fit at 1 h. heavy's 2-hour gang (older) would delay it and waits;
    // heavy's 30-minute gang ends before 1 h and starts.
    const p = new OfferPolicy(config);
    p.handle({ type: 'usageLoaded', usage: [{ tenant: t('A', 'heavy'), coreSeconds: 1e6, asOf: T0 }] }, T0);
    p.handle({ type: 'gangRunning', gang: running('r', t('A', 'heavy'), 4, T0, T0 + H, 'a') }, T0);
    p.handle([
      { type: 'gangQueued', gang: gang('h-long', t('A', 'heavy'), { ranks: 4 }, T0, 7200) },
      { type: 'gangQueued', gang: gang('l-big', t('B', 'light'), { ranks: 8 }, T0 + 1000, 3600) },
      { type: 'gangQueued', gang: gang('h-short', t('A', 'heavy'), { ranks: 4 }, T0 + 2000, 1800) },
    ], T0 + 2000);
    const d = p.handle({ type: 'offers', offers: [offer({ id: 'O-1', agent: 'b', cpus: 4, mem: 65536 })] }, T0 + 3000);
    assert.deepEqual(launched(d), ['h-short']);
    assert.match(p.explain('l-big', T0 + 3000)!, /^#1 in the queue of role mpi, waiting 2 s: first in line/);
    assert.match(p.explain('h-long', T0 + 3000)!, /^#2 .*waiting behind gang l-big/);
    // The periodic pass asks for every gang at once: the same words, positions counted per role.
    assert.deepEqual(p.explainAll(T0 + 3000), new Map([
      ['l-big', p.explain('l-big', T0 + 3000)],
      ['h-long', p.explain('h-long', T0 + 3000)],
    ]));
  });

  it('keeps submit order under fifo, the default, whatever the usage', () => {
    const p = new OfferPolicy({ ...config, order: undefined });
    p.handle({ type: 'usageLoaded', usage: [{ tenant: t('A', 'heavy'), coreSeconds: 1e6, asOf: T0 }] }, T0);
    p.handle({ type: 'gangQueued', gang: gang('h1', t('A', 'heavy'), {}, T0) }, T0);
    p.handle({ type: 'gangQueued', gang: gang('l1', t('B', 'light'), {}, T0 + 60_000) }, T0 + 60_000);
    assert.deepEqual(launched(p.handle(offer4('O-1'), T0 + 61_000)), ['h1']);
  });

  it('lets usage decay: old heavy usage ranks below fresh lighter usage', () => {
    // Two gateways, one user each. X used 4,000 three half-lives ago (500 now); Y 1,000 now.
    // X's factor 2^(-(1/3)/(1/2)) · 2^-1 ≈ 0.315 > Y's 2^(-(2/3)/(1/2)) · 2^-1 ≈ 0.198.
    const p = new OfferPolicy(config);
    p.handle({ type: 'usageLoaded', usage: [
      { tenant: t('X', 'x'), coreSeconds: 4000, asOf: T0 - 3 * WEEK * 1000 },
      { tenant: t('Y', 'y'), coreSeconds: 1000, asOf: T0 },
    ] }, T0);
    p.handle({ type: 'gangQueued', gang: gang('y1', t('Y', 'y'), {}, T0) }, T0);
    p.handle({ type: 'gangQueued', gang: gang('x1', t('X', 'x'), {}, T0 + 1000) }, T0 + 1000);
    assert.deepEqual(launched(p.handle(offer4('O-1'), T0 + 2000)), ['x1']);
    // Without the decay (same usage, both fresh) Y is the lighter one.
    const q = new OfferPolicy(config);
    q.handle({ type: 'usageLoaded', usage: [{ tenant: t('X', 'x'), coreSeconds: 4000, asOf: T0 }, { tenant: t('Y', 'y'), coreSeconds: 1000, asOf: T0 }] }, T0);
    q.handle({ type: 'gangQueued', gang: gang('y1', t('Y', 'y'), {}, T0) }, T0);
    q.handle({ type: 'gangQueued', gang: gang('x1', t('X', 'x'), {}, T0 + 1000) }, T0 + 1000);
    assert.deepEqual(launched(q.handle(offer4('O-1'), T0 + 2000)), ['y1']);
  });

  it('charges a launched gang\'s cores × run time when it ends', () => {
    const p = new OfferPolicy(config);
    p.handle({ type: 'gangQueued', gang: gang('g', t('A', 'a')) }, T0);
    assert.deepEqual(launched(p.handle(offer4('O-1'), T0)), ['g']);
    p.handle({ type: 'gangEnded', gangId: 'g' }, T0 + 1000 * 1000);
    assert.deepEqual(p.usage(T0 + 1000 * 1000).map((u) => [u.tenant.user, u.coreSeconds]), [['a', 4000]]);
  });

  /**
   * heavy's gang, queued at T0 by a user with all of gateway A's large usage, still yields to a light
   * gang queued `beforeH` hours later, and leads against one queued `atH` hours later.
   */
  function heavyOldGangLeadsBetween(p: OfferPolicy, beforeH: number, atH: number): void {
    p.handle({ type: 'usageLoaded', usage: [{ tenant: t('A', 'heavy'), coreSeconds: 1e9, asOf: T0 }] }, T0);
    p.handle({ type: 'gangQueued', gang: gang('old', t('A', 'heavy'), {}, T0) }, T0);
    p.handle({ type: 'gangQueued', gang: gang('light-before', t('B', 'light'), {}, T0 + beforeH * H) }, T0 + beforeH * H);
    assert.deepEqual(launched(p.handle(offer4('O-1'), T0 + beforeH * H)), ['light-before']);
    p.handle({ type: 'gangQueued', gang: gang('light-at', t('B', 'light'), {}, T0 + atH * H) }, T0 + atH * H);
    assert.deepEqual(launched(p.handle(offer4('O-2'), T0 + atH * H)), ['old']);
  }

  it('never starves: the heavy user\'s old gang leads once it has waited long enough', () => {
    // heavy's factor: gateway A has all usage against half the shares (2^-2), heavy all of A's
    // against all of it (2^-1): 1/8. light's is 1. A light gang queued h hours after heavy's ranks
    // below it when 10·h > 1000·(1 − 1/8): after 87.5 hours.
    heavyOldGangLeadsBetween(new OfferPolicy(config), 87, 88);
  });

  it('puts a gang that has waited starvationHours first, whatever its usage', () => {
    // With age alone heavy's gang would need 87.5 hours (above); with a 10-hour bound it leads
    // once it has waited 10 hours, even against a light gang queued just now.
    heavyOldGangLeadsBetween(new OfferPolicy({ ...config, fairShare: { ...fair, starvationHours: 10 } }), 9, 10);
  });

  it('gives the oldest gang a second reservation: gangs after it in the order may not delay it (reserveForOldest)', () => {
    // a's 4 cpus free at 1 h, b's 4 at 2 h, c's 2 are offered. light's 10-cpu gang ranks first and
    // holds the reservation (2 h). heavy's old 6-cpu gang is next: it could start ahead of light
    // (it ends before 2 h) but does not fit now; it is expected to fit at 1 h (a and c). heavy's
    // later 90-minute gang ends before light's reservation, so the head alone lets it take c and
    // the old gang waits for c to come back at 2.5 h; its own reservation keeps c for it.
    const scenario = (reserveForOldest?: boolean) => {
      const p = new OfferPolicy({ ...config, fairShare: { ...fair, ...(reserveForOldest === undefined ? {} : { reserveForOldest }) } });
      p.handle({ type: 'usageLoaded', usage: [{ tenant: t('A', 'heavy'), coreSeconds: 1e6, asOf: T0 }] }, T0);
      p.handle({ type: 'gangRunning', gang: running('r1', t('A', 'heavy'), 4, T0, T0 + H, 'a') }, T0);
      p.handle({ type: 'gangRunning', gang: running('r2', t('A', 'heavy'), 4, T0, T0 + 2 * H, 'b') }, T0);
      p.handle([
        { type: 'gangQueued', gang: gang('h-old', t('A', 'heavy'), { ranks: 6 }, T0, 3600) },
        { type: 'gangQueued', gang: gang('l-big', t('B', 'light'), { ranks: 10 }, T0 + 1000, 3600) },
        { type: 'gangQueued', gang: gang('h-later', t('A', 'heavy'), { ranks: 2 }, T0 + 2000, 5400) },
      ], T0 + 2000);
      const d = p.handle({ type: 'offers', offers: [offer({ id: 'O-c', agent: 'c', cpus: 2, mem: 65536 })] }, T0 + 3000);
      return { p, launched: launched(d) };
    };
    assert.deepEqual(scenario(false).launched, ['h-later']);
    const { p, launched: withOldest } = scenario();
    assert.deepEqual(withOldest, []);
    assert.match(p.explain('l-big', T0 + 3000)!, /^#1 .*first in line/);
    assert.match(p.explain('h-later', T0 + 3000)!, /^#3 .*waiting behind gang h-old, the longest waiting/);
  });

  it('bounds the oldest gang\'s wait: once it has waited oldestLeadsAfterHours it goes first and a lighter user\'s gang may not delay it', () => {
    // a's 4 cpus free at 3 h, b's at 2 h. heavy's 8-cpu, 1-hour gang is queued at T0; light's
    // 4-cpu, 5-hour gang at 1 h. At 2 h b is offered: light's gang ranks first and fits, and
    // starting it would keep b until 7 h, so heavy's gang would start at 7 h instead of 3 h.
    const scenario = (oldestLeadsAfterHours?: number) => {
      const p = new OfferPolicy({ ...config, fairShare: { ...fair, ...(oldestLeadsAfterHours === undefined ? {} : { oldestLeadsAfterHours }) } });
      p.handle({ type: 'usageLoaded', usage: [{ tenant: t('A', 'heavy'), coreSeconds: 1e6, asOf: T0 }] }, T0);
      p.handle({ type: 'gangRunning', gang: running('r1', t('C', 'other'), 4, T0, T0 + 3 * H, 'a') }, T0);
      p.handle({ type: 'gangRunning', gang: running('r2', t('C', 'other'), 4, T0, T0 + 2 * H, 'b') }, T0);
      p.handle({ type: 'gangQueued', gang: gang('h-old', t('A', 'heavy'), { ranks: 8 }, T0, 3600) }, T0);
      p.handle({ type: 'gangQueued', gang: gang('l-late', t('B', 'light'), { ranks: 4 }, T0 + H, 5 * 3600) }, T0 + H);
      p.handle({ type: 'gangEnded', gangId: 'r2' }, T0 + 2 * H);
      const d = p.handle({ type: 'offers', offers: [offer({ id: 'O-b', agent: 'b', cpus: 4, mem: 65536 })] }, T0 + 2 * H);
      return { p, launched: launched(d) };
    };
    // Without the bound (the old behaviour) and before it (3 h), the fair-share order rules.
    assert.deepEqual(scenario().launched, ['l-late']);
    assert.deepEqual(scenario(3).launched, ['l-late']);
    // After 1 h heavy's gang leads: it holds the reservation for 3 h and light's 5-hour gang waits.
    const { p, launched: bounded } = scenario(1);
    assert.deepEqual(bounded, []);
    assert.match(p.explain('h-old', T0 + 2 * H)!, /^#1 .*first in line/);
    assert.match(p.explain('l-late', T0 + 2 * H)!, /waiting behind gang h-old/);
    // Its expected start is r1's end; light's gang comes after it.
    const starts = p.expectedStarts(T0 + 2 * H);
    assert.deepEqual([...starts.keys()], ['h-old', 'l-late']);
    assert.equal(starts.get('h-old'), T0 + 3 * H);
    p.handle({ type: 'gangEnded', gangId: 'r1' }, T0 + 3 * H);
    // b's offer was kept for the reservation; a's comes back.
    const at3 = p.handle({ type: 'offers', offers: [offer({ id: 'O-a', agent: 'a', cpus: 4, mem: 65536 })] }, T0 + 3 * H);
    assert.deepEqual(launched(at3), ['h-old']);
  });

  it('holds a gang whose gateway would pass its core quota, and it does not take the reservation', () => {
    const p = new OfferPolicy({ ...config, quotas: { A: { maxRunningCores: 6 } } });
    p.handle({ type: 'gangRunning', gang: running('r', t('A', 'a'), 4, T0, T0 + H, 'z') }, T0);
    p.handle({ type: 'gangQueued', gang: gang('a2', t('A', 'a'), { ranks: 4 }, T0) }, T0);
    p.handle({ type: 'gangQueued', gang: gang('b1', t('B', 'b'), { ranks: 4 }, T0 + 1000, 7200) }, T0 + 1000);
    const d = p.handle(offer4('O-1'), T0 + 2000);
    // a2 ranks first (no usage charged yet, older) but 4 + 4 > 6: b1 starts, though it runs past r's end.
    assert.deepEqual(launched(d), ['b1']);
    assert.equal(p.explain('a2', T0 + 2000), '#1 in the queue of role mpi, waiting 2 s: gateway A at its quota of 6 cores');
    p.handle({ type: 'gangEnded', gangId: 'r' }, T0 + H);
    assert.deepEqual(launched(p.handle(offer4('O-2'), T0 + H)), ['a2']);
  });
});

describe('expected start times', () => {
  it('plans the waiting order on a small hand-worked schedule', () => {
    // 8 cpus. r1 (4 cpus) ends at 1 h, r2 (4 cpus) at 2 h. FIFO order:
    //   g1: 6 cpus, 1 h   -> 2 h (only 4 free at 1 h), holds 6 of 8 from 2 h to 3 h
    //   g2: 2 cpus, 30 min -> 1 h (4 free from 1 h to 2 h)
    //   g3: 4 cpus, 2 h   -> 3 h (2 free at 1.5 h but g1 leaves only 2 from 2 h)
    //   g4: 2 cpus, 1 h   -> 1 h (beside g2 until 1.5 h, then 4 free, then 2 beside g1 from 2 h)
    const p = new OfferPolicy({ ...config, order: 'fifo' });
    p.handle({ type: 'clusterState', state: clusterOf([['a', 4], ['b', 4]]) }, T0);
    p.handle([
      { type: 'gangRunning', gang: running('r1', t('A', 'a'), 4, T0, T0 + H, 'a') },
      { type: 'gangRunning', gang: running('r2', t('A', 'a'), 4, T0, T0 + 2 * H, 'b') },
    ], T0);
    p.handle([
      { type: 'gangQueued', gang: gang('g1', t('A', 'a'), { ranks: 6 }, T0 + 1, 3600) },
      { type: 'gangQueued', gang: gang('g2', t('A', 'a'), { ranks: 2 }, T0 + 2, 1800) },
      { type: 'gangQueued', gang: gang('g3', t('A', 'a'), { ranks: 4 }, T0 + 3, 7200) },
      { type: 'gangQueued', gang: gang('g4', t('A', 'a'), { ranks: 2 }, T0 + 4, 3600) },
    ], T0 + 10);
    const starts = p.expectedStarts(T0 + 10);
    assert.deepEqual([...starts], [['g1', T0 + 2 * H], ['g2', T0 + H], ['g3', T0 + 3 * H], ['g4', T0 + H]]);
  });

  it('plans waiting gangs to run the share of their wall time that ended gangs ran (plus a quarter of the rest)', () => {
    // 8 cpus. r0 ran 1 h of its 2-h wall time and ended: mean share 1/2, planned 1/2 + 1/8 = 5/8.
    // r1 (4 cpus) ends at 1 h, r2 (4 cpus) at 2 h (running gangs keep their limits).
    //   g1: 6 cpus, 8 h wall  -> 2 h either way (the first in line depends on running gangs only);
    //       planned to hold 6 until 2 h + 5 h = 7 h (whole wall time: until 10 h)
    //   g2: 4 cpus, 8 h wall  -> 7 h (whole wall time: 10 h)
    const scenario = (learnRunFraction?: boolean) => {
      const p = new OfferPolicy({ ...config, order: 'fifo', ...(learnRunFraction === undefined ? {} : { learnRunFraction }) });
      p.handle({ type: 'clusterState', state: clusterOf([['a', 4], ['b', 4], ['c', 4]]) }, T0);
      p.handle({ type: 'gangRunning', gang: running('r0', t('A', 'a'), 4, T0 - H, T0 + H, 'c') }, T0);
      p.handle({ type: 'gangEnded', gangId: 'r0' }, T0);
      p.handle({ type: 'clusterState', state: clusterOf([['a', 4], ['b', 4]]) }, T0);
      p.handle([
        { type: 'gangRunning', gang: running('r1', t('A', 'a'), 4, T0, T0 + H, 'a') },
        { type: 'gangRunning', gang: running('r2', t('A', 'a'), 4, T0, T0 + 2 * H, 'b') },
      ], T0);
      p.handle([
        { type: 'gangQueued', gang: gang('g1', t('A', 'a'), { ranks: 6 }, T0 + 1, 8 * 3600) },
        { type: 'gangQueued', gang: gang('g2', t('A', 'a'), { ranks: 4 }, T0 + 2, 8 * 3600) },
      ], T0 + 10);
      return [...p.expectedStarts(T0 + 10)];
    };
    assert.equal(plannedRunFraction(0.5), 0.625);
    assert.deepEqual(scenario(), [['g1', T0 + 2 * H], ['g2', T0 + 7 * H]]);
    assert.deepEqual(scenario(false), [['g1', T0 + 2 * H], ['g2', T0 + 10 * H]]);
  });

  it('counts a gateway\'s core quota, and gives no estimate past it', () => {
    // Quota 4 for A: a1 (4 cpus) must wait for r (A's, ends at 1 h); b1 of B starts now; a2 (5
    // cores) can never run within A's quota.
    const p = new OfferPolicy({ ...config, order: 'fifo', quotas: { A: { maxRunningCores: 4 } } });
    p.handle({ type: 'clusterState', state: clusterOf([['a', 8], ['b', 8]]) }, T0);
    p.handle({ type: 'gangRunning', gang: running('r', t('A', 'a'), 4, T0, T0 + H) }, T0);
    p.handle([
      { type: 'gangQueued', gang: gang('a1', t('A', 'a'), { ranks: 4 }, T0 + 1, 3600) },
      { type: 'gangQueued', gang: gang('b1', t('B', 'b'), { ranks: 4 }, T0 + 2, 3600) },
      { type: 'gangQueued', gang: gang('a2', t('A', 'a'), { ranks: 5 }, T0 + 3, 3600) },
    ], T0 + 10);
    assert.deepEqual([...p.expectedStarts(T0 + 10)], [['a1', T0 + H], ['b1', T0 + 10], ['a2', undefined]]);
  });
});
