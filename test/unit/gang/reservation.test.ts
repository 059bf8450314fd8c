import assert from 'node:assert/strict';
import { estimateReservation, estimateReservationTime, mayBackfill, type AgentResources, type RunningGang, type WaitingGang } from '@msched/gang';

const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);
const free = (agentId: string, cpus: number): AgentResources => ({
  agentId, hostname: agentId, cpus, mem: cpus * 4096, disk: 0, ports: [], portCount: 0, attributes: {}, offerIds: [],
});
const running = (gangId: string, endsInSeconds: number, shares: Array<[string, number]>, role = 'mpi'): RunningGang => ({
  gangId, role, expectedEndAt: T0 + endsInSeconds * 1000,
  shares: shares.map(([agentId, cpus]) => ({ agentId, hostname: agentId, cpus, mem: cpus * 4096, disk: 0 })),
});
const waiting = (gangId: string, wallTimeSeconds: number): WaitingGang => ({
  gangId, wallTimeSeconds, queuedAt: T0, request: { ranks: 1, cpusPerRank: 1, memMbPerRank: 1024, role: 'mpi' },
});

describe('offer policy: reservation estimate and backfill rule', () => {
  const request = { ranks: 16, cpusPerRank: 1, memMbPerRank: 1024, role: 'mpi' };

  it('estimates the first end time at which freed resources let the head gang place', () => {
    const gangs = [running('late', 7200, [['b', 8]]), running('soon', 600, [['a', 4]]), running('mid', 3600, [['a', 4]])];
    // Free now: 4 on a. After "soon": 8 on a; after "mid": 12 on a; after "late": + 8 on b = 20 ≥ 16.
    assert.equal(estimateReservationTime(request, [free('a', 4)], gangs), T0 + 7200 * 1000);
    assert.equal(estimateReservationTime({ ...request, ranks: 12 }, [free('a', 4)], gangs), T0 + 3600 * 1000);
  });

  it('honours the head gang\'s layout, not just its totals', () => {
    // 16 cpus come back, but split 8 + 8: a gang needing 16 ranks on one node never fits them.
    const gangs = [running('x', 60, [['a', 8]]), running('y', 120, [['b', 8]])];
    assert.equal(estimateReservationTime({ ...request, nodeCount: 1 }, [], gangs), undefined);
    assert.equal(estimateReservationTime(request, [], gangs), T0 + 120 * 1000);
  });

  it('has no estimate when no running gang of the role can free enough', () => {
    assert.equal(estimateReservationTime(request, [free('a', 4)], []), undefined);
    assert.equal(estimateReservationTime(request, [free('a', 4)], [running('other', 60, [['a', 64]], 'batch')]), undefined);
  });

  it('backfills only what ends before the head is expected to fit', () => {
    const head = { gang: waiting('head', 3600), headSince: T0, fitsAt: T0 + 3600 * 1000 };
    assert.deepEqual(mayBackfill(waiting('short', 3600), head, T0, 600), { allowed: true });
    const v = mayBackfill(waiting('long', 3601), head, T0, 600);
    assert.equal(v.allowed, false);
  });

  it('without an estimate, backfills until the reservation has aged', () => {
    const head = { gang: waiting('head', 3600), headSince: T0 };
    assert.deepEqual(mayBackfill(waiting('any', 86400), head, T0 + 599_999, 600), { allowed: true });
    assert.deepEqual(mayBackfill(waiting('any', 1), head, T0 + 600_000, 600), {
      allowed: false, why: 'waiting behind gang head: it has waited 10 min at the head of the queue, so every freed resource is kept for it',
    });
  });
});

describe('reservation estimate: what is free at the reservation time', () => {
  const request = { ranks: 10, cpusPerRank: 1, memMbPerRank: 1024, role: 'mpi' };
  it('lists every agent with cpus and memory then, the head\'s share included, in agent-id order', () => {
    // At 600 s: a has 8 cpus (4 free + 4 freed), b 8 (freed), c none (still running): 16 for the head's 10.
    const gangs = [running('x', 600, [['b', 8], ['a', 4]]), running('y', 900, [['c', 8]])];
    const e = estimateReservation(request, [free('a', 4)], gangs);
    assert.equal(e?.fitsAt, T0 + 600 * 1000);
    assert.deepEqual([...e!.atReservation], [['a', { cpus: 8, mem: 8 * 4096, disk: 0 }], ['b', { cpus: 8, mem: 8 * 4096, disk: 0 }]]);
    // The head packs all of a's cpus (agent order breaks the tie) and 2 of b's: a, with memory but
    // no cpu left, is not listed in what it leaves over.
    assert.deepEqual([...e!.spare], [['b', { cpus: 6, mem: 8 * 4096 - 2 * 1024, disk: 0 }]]);
  });
});
