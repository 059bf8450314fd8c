import assert from 'node:assert/strict';
import { OfferPolicy, type OfferPolicyConfig, type PolicyDecision, type WaitingGang, type GangRequest } from '@msched/gang';
import type { AgentState, ClusterState } from '@msched/mesos';
import { offer } from './support/offers';

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
const s = (seconds: number) => T0 + seconds * 1000;

const config: OfferPolicyConfig = { roles: ['mpi'], holdSeconds: 30, declineRefuseSeconds: 10, idleRefuseSeconds: 300, reservationAgingSeconds: 600 };

const gang = (gangId: string, r: Partial<GangRequest>, wallTimeSeconds = 3600, queuedAt = T0): WaitingGang => ({
  gangId, wallTimeSeconds, queuedAt, request: { ranks: 4, cpusPerRank: 1, memMbPerRank: 1024, role: 'mpi', ...r },
});

const launches = (d: PolicyDecision[]) => d.flatMap((x) => (x.type === 'launch' ? [x] : []));
const launched = (d: PolicyDecision[]) => launches(d).map((x) => x.gangId);
const declines = (d: PolicyDecision[]) => d.flatMap((x) => (x.type === 'decline' ? [[[...x.offerIds].sort().join(','), x.refuseSeconds]] : []));
const fails = (d: PolicyDecision[]) => d.flatMap((x) => (x.type === 'fail' ? [[x.gangId, x.reason]] : []));
const types = (d: PolicyDecision[]) => d.map((x) => x.type);

function clusterOf(agents: Array<[string, number, number]>): ClusterState {
  const amounts = (cpus: number, mem: number) => ({ cpus, mem, disk: 0, gpus: 0, ports: [{ begin: 31000, end: 31999 }] });
  return {
    masterUrl: 'http://m:5050',
    agents: agents.map(([id, cpus, mem]): AgentState => ({
      id, hostname: id, active: true, attributes: {}, total: amounts(cpus, mem), used: amounts(0, 0), offered: amounts(0, 0), reservedByRole: {},
    })),
  };
}

describe('offer policy', () => {
  it('declines offers nobody waits for with the long filter and suppresses the idle role once', () => {
    const p = new OfferPolicy(config);
    const d = p.handle({ type: 'offers', offers: [offer({ id: 'O-1', agent: 'a', cpus: 8, mem: 8192 })] }, T0);
    assert.deepEqual(declines(d), [['O-1', 300]]);
    assert.deepEqual(d.filter((x) => x.type === 'suppress'), [{ type: 'suppress', roles: ['mpi'] }]);
    const again = p.handle({ type: 'offers', offers: [offer({ id: 'O-2', agent: 'a', cpus: 8, mem: 8192 })] }, s(1));
    assert.deepEqual(types(again), ['decline']);
    assert.deepEqual(p.suppressedRoles(), ['mpi']);
  });

  it('revives a suppressed role when work arrives, then launches the gang on the next offers', () => {
    const p = new OfferPolicy(config, { suppressedRoles: ['mpi'] });
    assert.deepEqual(p.handle({ type: 'gangQueued', gang: gang('g1', { ranks: 4, cpusPerRank: 2 }) }, T0), [{ type: 'revive', roles: ['mpi'] }]);
    const d = p.handle({ type: 'offers', offers: [
      offer({ id: 'O-1', agent: 'a', cpus: 8, mem: 8192 }),
      offer({ id: 'O-2', agent: 'b', cpus: 2, mem: 2048 }),
    ] }, s(1));
    const [l] = launches(d);
    assert.equal(l.gangId, 'g1');
    assert.deepEqual(l.agents.map((a) => [a.agentId, a.offerIds, a.ranks]), [['a', ['O-1'], [0, 1, 2, 3]]]);
    assert.deepEqual(l.agents[0].resources.map((r) => [r.name, r.scalar?.value ?? r.ranges?.range, r.allocation_info?.role]), [
      ['cpus', 8, 'mpi'], ['mem', 4096, 'mpi'], ['ports', [{ begin: 31000, end: 31000 }], 'mpi'],
    ]);
    // Nothing waits any more: the unused offer goes back and the role is suppressed.
    assert.deepEqual(declines(d), [['O-2', 300]]);
    assert.deepEqual(types(d), ['launch', 'decline', 'suppress']);
    assert.equal(p.heldOffers, 0);
  });

  it('holds offers for a waiting gang only up to holdSeconds, then declines them with the short filter', () => {
    const p = new OfferPolicy(config);
    p.handle({ type: 'gangQueued', gang: gang('big', { ranks: 16 }) }, T0);
    assert.deepEqual(p.handle({ type: 'offers', offers: [offer({ id: 'O-1', agent: 'a', cpus: 8, mem: 65536 })] }, s(1)), []);
    assert.equal(p.heldOffers, 1);
    assert.deepEqual(p.handle({ type: 'tick' }, s(30.999)), []);
    assert.deepEqual(declines(p.handle({ type: 'tick' }, s(31))), [['O-1', 10]]);
    assert.equal(p.heldOffers, 0);
  });

  it('gathers offers across arrivals until the whole gang fits', () => {
    const p = new OfferPolicy(config);
    p.handle({ type: 'gangQueued', gang: gang('g', { ranks: 12 }) }, T0);
    assert.deepEqual(launched(p.handle({ type: 'offers', offers: [offer({ id: 'O-1', agent: 'a', cpus: 8, mem: 65536 })] }, s(1))), []);
    const d = p.handle({ type: 'offers', offers: [offer({ id: 'O-2', agent: 'b', cpus: 4, mem: 65536 })] }, s(2));
    assert.deepEqual(launches(d)[0].agents.map((a) => [a.agentId, a.ranks.length]), [['a', 8], ['b', 4]]);
  });

  it('revives when capacity frees and our declines filtered offers away', () => {
    const p = new OfferPolicy({ ...config, holdForReservation: false });
    p.handle({ type: 'gangRunning', gang: { gangId: 'old', role: 'mpi', expectedEndAt: s(3600), shares: [{ agentId: 'a', hostname: 'a', cpus: 8, mem: 8192, disk: 0 }] } }, T0);
    p.handle({ type: 'gangQueued', gang: gang('g', { ranks: 16 }) }, T0);
    p.handle({ type: 'offers', offers: [offer({ id: 'O-1', agent: 'b', cpus: 8, mem: 65536 })] }, s(1));
    p.handle({ type: 'tick' }, s(40)); // O-1 declined with a filter
    assert.deepEqual(p.handle({ type: 'gangEnded', gangId: 'old' }, s(50)), [{ type: 'revive', roles: ['mpi'] }]);
    // Without declines since that revive, a freed gang needs no further revive.
    p.handle({ type: 'gangRunning', gang: { gangId: 'other', role: 'mpi', expectedEndAt: s(3600), shares: [] } }, s(51));
    assert.deepEqual(p.handle({ type: 'gangEnded', gangId: 'other' }, s(52)), []);
  });

  it('revives every role with waiting gangs on a (re)subscription: filters an earlier leader left are unknown to this one (issue 14)', () => {
    // A new leader: its policy never declined anything, but the old leader's idle declines (300 s
    // filters) still hold the cluster's offers back at the master.
    const p = new OfferPolicy(config);
    p.handle({ type: 'gangQueued', gang: gang('g', { ranks: 2 }) }, T0);
    assert.deepEqual(p.handle({ type: 'resubscribed' }, s(1)), [{ type: 'revive', roles: ['mpi'] }]);
    // Once revived, time alone revives nothing more.
    assert.deepEqual(p.handle({ type: 'tick' }, s(2)), []);
  });

  it('after a (re)subscription with nothing waiting, suppresses and revives when work arrives', () => {
    const p = new OfferPolicy({ ...config, roles: ['mpi', 'serial'] });
    p.handle({ type: 'gangQueued', gang: gang('g', { ranks: 2 }) }, T0);
    const d = p.handle({ type: 'resubscribed' }, s(1));
    assert.deepEqual(d.filter((x) => x.type === 'revive'), [{ type: 'revive', roles: ['mpi'] }]);
    assert.deepEqual(p.suppressedRoles(), ['serial']);
    assert.deepEqual(p.handle({ type: 'gangQueued', gang: gang('s', { ranks: 1, role: 'serial' }) }, s(2)), [{ type: 'revive', roles: ['serial'] }]);
  });

  it('fails at once a gang that can never fit the cluster, with the reason', () => {
    const p = new OfferPolicy(config);
    p.handle({ type: 'clusterState', state: clusterOf([['S1', 16, 65536], ['S2', 16, 65536]]) }, T0);
    const d = p.handle({ type: 'gangQueued', gang: gang('huge', { ranks: 1, cpusPerRank: 32 }) }, T0);
    const [[id, reason]] = fails(d);
    assert.equal(id, 'huge');
    assert.match(reason, /^can never run on this cluster: 1 rank needs 32 cpus and 1024 MB memory; 32 cpus and 131072 MB in total on 2 agents; .*S1: 16 cpus in total, a rank needs 32/);
    assert.deepEqual(p.waiting(), []);
    assert.equal(p.explain('huge', T0), undefined);
  });

  it('says whether a gang fits the cluster as last seen, so the dispatcher reads the state again only when it does not', () => {
    const p = new OfferPolicy(config);
    assert.equal(p.fitsKnownCluster(gang('small', { ranks: 2 })), false, 'the cluster is unknown: read it first');
    p.handle({ type: 'clusterState', state: clusterOf([['S1', 16, 65536], ['S2', 16, 65536]]) }, T0);
    assert.equal(p.fitsKnownCluster(gang('small', { ranks: 2 })), true);
    assert.equal(p.fitsKnownCluster(gang('huge', { ranks: 40 })), false, 'too big for the view: judged on a fresh read, never on this one');
    assert.deepEqual(p.waiting(), [], 'asking changes nothing');
  });

  it('fails waiting gangs that no longer fit when the cluster shrinks', () => {
    const p = new OfferPolicy(config);
    p.handle({ type: 'gangQueued', gang: gang('g', { ranks: 24 }) }, T0);
    const d = p.handle({ type: 'clusterState', state: clusterOf([['S1', 16, 65536]]) }, s(5));
    assert.deepEqual(fails(d).map(([id]) => id), ['g']);
    assert.deepEqual(p.waiting(), []);
  });

  it('fails invalid gangs and gangs of a role the framework does not hold', () => {
    const p = new OfferPolicy(config);
    assert.deepEqual(fails(p.handle({ type: 'gangQueued', gang: gang('bad', { ranks: 0 }) }, T0)), [['bad', 'invalid gang: ranks must be a positive integer, got 0']]);
    assert.deepEqual(fails(p.handle({ type: 'gangQueued', gang: gang('gpu', { role: 'gpu' }) }, T0)), [
      ['gpu', 'invalid gang: role "gpu" is not one of the framework\'s roles (mpi), so no offer can ever come for it'],
    ]);
  });

  describe('reservation and backfill', () => {
    // A running gang holds agent "a" (8 cpus) for an hour; offers show 4 free cpus on "b".
    function scenario(headWaitingSince = T0) {
      const p = new OfferPolicy(config);
      p.handle({ type: 'gangRunning', gang: { gangId: 'run', role: 'mpi', expectedEndAt: s(3600), shares: [{ agentId: 'a', hostname: 'a', cpus: 8, mem: 65536, disk: 0 }] } }, T0);
      p.handle({ type: 'gangQueued', gang: gang('head', { ranks: 12 }, 3600, headWaitingSince) }, T0);
      return p;
    }
    const freeB = [offer({ id: 'O-b', agent: 'b', cpus: 4, mem: 65536 })];

    it('lets a small gang go first when it ends before the head is expected to fit', () => {
      const p = scenario();
      p.handle({ type: 'gangQueued', gang: gang('short', { ranks: 2 }, 1800, s(1)) }, s(1));
      const d = p.handle({ type: 'offers', offers: freeB }, s(2));
      assert.deepEqual(launched(d), ['short']);
      assert.match(p.explain('head', s(2)) ?? '', /^#1 in the queue of role mpi, waiting 2 s: first in line .*does not fit the offers held now: 12 ranks need 12 cpus .*; expected to fit by 2026-11-22T13:00:00.000Z as running gangs end$/);
    });

    it('keeps a small gang waiting when its wall time would delay the head', () => {
      const p = scenario();
      p.handle({ type: 'gangQueued', gang: gang('long', { ranks: 2 }, 7200, s(1)) }, s(1));
      assert.deepEqual(launched(p.handle({ type: 'offers', offers: freeB }, s(2))), []);
      assert.equal(
        p.explain('long', s(2)),
        '#2 in the queue of role mpi, waiting 1 s: waiting behind gang head: its wall time (2 h) would end after gang head is expected to fit (2026-11-22T13:00:00.000Z)',
      );
    });

    it('keeps offers past holdSeconds while they count towards the head\'s reservation, and declines them without one', () => {
      const p = scenario();
      p.handle({ type: 'offers', offers: freeB }, s(2));
      assert.deepEqual(declines(p.handle({ type: 'tick' }, s(40))), []);
      assert.equal(p.heldOffers, 1);
      const off = new OfferPolicy({ ...config, holdForReservation: false });
      off.handle({ type: 'gangRunning', gang: { gangId: 'run', role: 'mpi', expectedEndAt: s(3600), shares: [{ agentId: 'a', hostname: 'a', cpus: 8, mem: 65536, disk: 0 }] } }, T0);
      off.handle({ type: 'gangQueued', gang: gang('head', { ranks: 12 }) }, T0);
      off.handle({ type: 'offers', offers: freeB }, s(2));
      assert.deepEqual(declines(off.handle({ type: 'tick' }, s(40))), [['O-b', 10]]);
    });

    it('lets a long gang start on what the head leaves over at its reservation (EASY\'s extra processors), and no bigger one', () => {
      // At 13:00 agent a frees 8 cpus; with b's 8 the head takes 12 of 16: 4 are spare, on b.
      const freeB8 = [offer({ id: 'O-b', agent: 'b', cpus: 8, mem: 65536 })];
      const p = scenario();
      p.handle({ type: 'gangQueued', gang: gang('long5', { ranks: 5 }, 7200, s(1)) }, s(1));
      p.handle({ type: 'gangQueued', gang: gang('long4', { ranks: 4 }, 7200, s(2)) }, s(2));
      const d = p.handle({ type: 'offers', offers: freeB8 }, s(3));
      assert.deepEqual(launched(d), ['long4']);
      assert.deepEqual(launches(d)[0].agents.map((a) => [a.agentId, a.cpus]), [['b', 4]]);
      assert.match(p.explain('long5', s(3)) ?? '', /would end after gang head is expected to fit/);
      const off = new OfferPolicy({ ...config, backfillOnSpare: false });
      off.handle({ type: 'gangRunning', gang: { gangId: 'run', role: 'mpi', expectedEndAt: s(3600), shares: [{ agentId: 'a', hostname: 'a', cpus: 8, mem: 65536, disk: 0 }] } }, T0);
      off.handle({ type: 'gangQueued', gang: gang('head', { ranks: 12 }) }, T0);
      off.handle({ type: 'gangQueued', gang: gang('long4', { ranks: 4 }, 7200, s(2)) }, s(2));
      assert.deepEqual(launched(off.handle({ type: 'offers', offers: freeB8 }, s(3))), []);
    });

    it('with spareRule head-fits, lets a long gang take free agents the head will not need at its reservation, whichever they are (EASY counts extra processors)', () => {
      // One-cpu agents. a and b are free; c and d end at 100 s. The head (3 ranks) fits at 100 s on
      // three of the four, so one is extra: a 1-rank gang running past 100 s may start now on a or b.
      // The default rule fixes the head on the lowest ids first (a, b, c): only d is extra, busy now.
      const one = (id: string, agent: string) => offer({ id, agent, cpus: 1, mem: 1024 });
      const scenario1 = (p: OfferPolicy) => {
        p.handle({ type: 'gangRunning', gang: { gangId: 'run', role: 'mpi', expectedEndAt: s(100), shares: ['c', 'd'].map((agentId) => ({ agentId, hostname: agentId, cpus: 1, mem: 1024, disk: 0 })) } }, T0);
        p.handle({ type: 'gangQueued', gang: gang('head', { ranks: 3 }) }, T0);
        p.handle({ type: 'gangQueued', gang: gang('long', { ranks: 1 }, 7200, s(1)) }, s(1));
        return launched(p.handle({ type: 'offers', offers: [one('O-a', 'a'), one('O-b', 'b')] }, s(3)));
      };
      assert.deepEqual(scenario1(new OfferPolicy({ ...config, spareRule: 'head-placement' })), []);
      const p = new OfferPolicy({ ...config, spareRule: 'head-fits' });
      p.handle({ type: 'gangRunning', gang: { gangId: 'run', role: 'mpi', expectedEndAt: s(100), shares: ['c', 'd'].map((agentId) => ({ agentId, hostname: agentId, cpus: 1, mem: 1024, disk: 0 })) } }, T0);
      p.handle({ type: 'gangQueued', gang: gang('head', { ranks: 3 }) }, T0);
      p.handle({ type: 'gangQueued', gang: gang('long', { ranks: 1 }, 7200, s(1)) }, s(1));
      p.handle({ type: 'gangQueued', gang: gang('long2', { ranks: 1 }, 7200, s(2)) }, s(2));
      const d = p.handle({ type: 'offers', offers: [one('O-a', 'a'), one('O-b', 'b')] }, s(3));
      assert.deepEqual(launched(d), ['long'], 'one extra processor: the first long gang only');
      assert.match(p.explain('long2', s(3)) ?? '', /would end after gang head is expected to fit/);
    });

    it('by default (spareRule by-agent-shape) counts extra agents as head-fits does when no agent can hold two of the head\'s ranks', () => {
      // The one-cpu case above: the default lets the long gang take a free agent the head does not need.
      const one = (id: string, agent: string) => offer({ id, agent, cpus: 1, mem: 1024 });
      const p = new OfferPolicy(config);
      p.handle({ type: 'gangRunning', gang: { gangId: 'run', role: 'mpi', expectedEndAt: s(100), shares: ['c', 'd'].map((agentId) => ({ agentId, hostname: agentId, cpus: 1, mem: 1024, disk: 0 })) } }, T0);
      p.handle({ type: 'gangQueued', gang: gang('head', { ranks: 3 }) }, T0);
      p.handle({ type: 'gangQueued', gang: gang('long', { ranks: 1 }, 7200, s(1)) }, s(1));
      assert.deepEqual(launched(p.handle({ type: 'offers', offers: [one('O-a', 'a'), one('O-b', 'b')] }, s(3))), ['long']);
    });

    it('by default keeps the head\'s placement (head-placement) when agents hold several of its ranks', () => {
      // Two-cpu agents: a and b free, c and d end at 100 s; the head (6 ranks) fits at 100 s on
      // three agents. head-fits would let a 2-rank gang past 100 s take a or b (the head still
      // places on the other three); the head's placement (a, b, c) leaves only d, busy now.
      const two = (id: string, agent: string) => offer({ id, agent, cpus: 2, mem: 2048 });
      const run = (rule?: 'head-fits') => {
        const p = new OfferPolicy({ ...config, ...(rule ? { spareRule: rule } : {}) });
        p.handle({ type: 'gangRunning', gang: { gangId: 'run', role: 'mpi', expectedEndAt: s(100), shares: ['c', 'd'].map((agentId) => ({ agentId, hostname: agentId, cpus: 2, mem: 2048, disk: 0 })) } }, T0);
        p.handle({ type: 'gangQueued', gang: gang('head', { ranks: 6 }) }, T0);
        p.handle({ type: 'gangQueued', gang: gang('long', { ranks: 2 }, 7200, s(1)) }, s(1));
        return launched(p.handle({ type: 'offers', offers: [two('O-a', 'a'), two('O-b', 'b')] }, s(3)));
      };
      assert.deepEqual(run('head-fits'), ['long']);
      assert.deepEqual(run(), []);
    });

    it('with reviveOnGangEnd, revives the role when a gang ends while others wait (Mesos then offers the freed resources at once)', () => {
      const run = (reviveOnGangEnd: boolean) => {
        const p = new OfferPolicy({ ...config, reviveOnGangEnd });
        p.handle({ type: 'gangRunning', gang: { gangId: 'run', role: 'mpi', expectedEndAt: s(3600), shares: [{ agentId: 'a', hostname: 'a', cpus: 8, mem: 65536, disk: 0 }] } }, T0);
        p.handle({ type: 'gangQueued', gang: gang('big', { ranks: 12 }) }, T0);
        p.handle({ type: 'offers', offers: [offer({ id: 'O-b', agent: 'b', cpus: 8, mem: 65536 })] }, s(1));
        const ended = p.handle({ type: 'gangEnded', gangId: 'run' }, s(100));
        const tick = p.handle({ type: 'tick' }, s(101));
        return [ended.filter((d) => d.type === 'revive'), tick.filter((d) => d.type === 'revive')];
      };
      assert.deepEqual(run(true), [[{ type: 'revive', roles: ['mpi'] }], []], 'one REVIVE per end');
      assert.deepEqual(run(false), [[], []]);
    });

    it('counts an ended gang\'s resources as free until its agent is offered again, so nothing slips past the head meanwhile', () => {
      const p = scenario();
      p.handle({ type: 'offers', offers: freeB }, s(2));
      p.handle({ type: 'gangEnded', gangId: 'run' }, s(100)); // a's 8 cpus are free on the master, not offered yet
      p.handle({ type: 'gangQueued', gang: gang('long', { ranks: 2 }, 7200, s(101)) }, s(101));
      assert.deepEqual(launched(p.handle({ type: 'tick' }, s(101))), []);
      assert.match(p.explain('long', s(101)) ?? '', /would end after gang head is expected to fit \(2026-11-22T12:01:40.000Z\)/);
      const d = p.handle({ type: 'offers', offers: [offer({ id: 'O-a', agent: 'a', cpus: 8, mem: 65536 })] }, s(102));
      assert.deepEqual(launched(d), ['head']);
    });

    it('tries the shortest wall times first behind the head when backfillOrder is shortest-first', () => {
      const run = (order: 'queue' | 'shortest-first') => {
        const p = new OfferPolicy({ ...config, backfillOrder: order });
        p.handle({ type: 'gangRunning', gang: { gangId: 'run', role: 'mpi', expectedEndAt: s(3600), shares: [{ agentId: 'a', hostname: 'a', cpus: 8, mem: 65536, disk: 0 }] } }, T0);
        p.handle({ type: 'gangQueued', gang: gang('head', { ranks: 12 }) }, T0);
        p.handle({ type: 'gangQueued', gang: gang('slow', { ranks: 4 }, 3000, s(1)) }, s(1));
        p.handle({ type: 'gangQueued', gang: gang('quick', { ranks: 4 }, 60, s(2)) }, s(2));
        return launched(p.handle({ type: 'offers', offers: freeB }, s(3)));
      };
      assert.deepEqual(run('queue'), ['slow']);
      assert.deepEqual(run('shortest-first'), ['quick']);
    });

    it('without an estimate, backfills while the head\'s reservation is young and stops once it has aged', () => {
      const p = new OfferPolicy(config);
      p.handle({ type: 'gangQueued', gang: gang('head', { ranks: 64 }) }, T0);
      p.handle({ type: 'gangQueued', gang: gang('s1', { ranks: 1 }, 7200, s(1)) }, s(1));
      assert.deepEqual(launched(p.handle({ type: 'offers', offers: [offer({ id: 'O-1', agent: 'a', cpus: 2, mem: 8192 })] }, s(2))), ['s1']);
      p.handle({ type: 'gangQueued', gang: gang('s2', { ranks: 1 }, 60, s(700)) }, s(700));
      assert.deepEqual(launched(p.handle({ type: 'offers', offers: [offer({ id: 'O-2', agent: 'b', cpus: 2, mem: 8192 })] }, s(701))), []);
      assert.match(p.explain('s2', s(701)) ?? '', /waiting behind gang head: it has waited 12 min at the head of the queue, so every freed resource is kept for it$/);
    });

    it('puts a retried attempt, queued with its first attempt\'s time, in front', () => {
      const p = new OfferPolicy(config);
      p.handle({ type: 'gangQueued', gang: gang('new', { ranks: 2 }, 60, s(10)) }, s(10));
      p.handle({ type: 'gangQueued', gang: gang('retry', { ranks: 2 }, 60, s(0)) }, s(11));
      assert.deepEqual(p.waiting().map((g) => g.gangId), ['retry', 'new']);
      const d = p.handle({ type: 'offers', offers: [offer({ id: 'O-1', agent: 'a', cpus: 2, mem: 8192 })] }, s(12));
      assert.deepEqual(launched(d), ['retry']);
    });
  });

  it('never launches on a rescinded offer or on offers from before a re-subscription', () => {
    const p = new OfferPolicy(config);
    p.handle({ type: 'gangQueued', gang: gang('g', { ranks: 8 }) }, T0);
    p.handle({ type: 'offers', offers: [offer({ id: 'O-1', agent: 'a', cpus: 4, mem: 65536 })] }, s(1));
    p.handle({ type: 'offerRescinded', offerId: 'O-1' }, s(2));
    assert.deepEqual(launched(p.handle({ type: 'offers', offers: [offer({ id: 'O-2', agent: 'b', cpus: 4, mem: 65536 })] }, s(3))), []);
    p.handle({ type: 'resubscribed' }, s(4));
    assert.equal(p.heldOffers, 0);
    assert.deepEqual(launched(p.handle({ type: 'offers', offers: [offer({ id: 'O-3', agent: 'c', cpus: 4, mem: 65536 })] }, s(5))), []);
    const d = p.handle({ type: 'offers', offers: [offer({ id: 'O-4', agent: 'd', cpus: 4, mem: 65536 })] }, s(6));
    assert.deepEqual(launches(d)[0].agents.flatMap((a) => a.offerIds).sort(), ['O-3', 'O-4']);
  });

  it('takes a batch of events and decides once', () => {
    const p = new OfferPolicy(config);
    const d = p.handle([
      { type: 'gangQueued', gang: gang('a', { ranks: 2 }) },
      { type: 'gangQueued', gang: gang('b', { ranks: 2 }, 3600, s(1)) },
      { type: 'offers', offers: [offer({ id: 'O-1', agent: 'x', cpus: 2, mem: 8192 }), offer({ id: 'O-2', agent: 'y', cpus: 2, mem: 8192 })] },
    ], s(2));
    assert.deepEqual(launched(d), ['a', 'b']);
    assert.deepEqual(launches(d).map((l) => l.agents[0].agentId), ['x', 'y']);
  });

  it('ignores a gang queued twice', () => {
    const p = new OfferPolicy(config);
    p.handle({ type: 'gangQueued', gang: gang('g', {}) }, T0);
    p.handle({ type: 'gangQueued', gang: gang('g', {}) }, s(1));
    assert.equal(p.waiting().length, 1);
    p.handle({ type: 'gangWithdrawn', gangId: 'g' }, s(2));
    assert.deepEqual(p.waiting(), []);
  });
});
