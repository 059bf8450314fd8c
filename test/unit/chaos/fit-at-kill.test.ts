import assert from 'node:assert/strict';
import { gangsThatFit } from '@msched/chaos';

describe('chaos: which waiting gangs the free cluster could hold at a leader kill', () => {
  const agents = (...cpus: number[]) => cpus.map((c) => ({ cpus: c, memMb: 4096 }));

  it('fits gangs in queue order, skipping one that does not fit and fitting later smaller ones (backfill)', () => {
    const four = { ranks: 4, cpusPerRank: 1, memMbPerRank: 64, nodeCount: 2 };
    const two = { ranks: 2, cpusPerRank: 1, memMbPerRank: 64, nodeCount: 2 };
    const one = { ranks: 1, cpusPerRank: 1, memMbPerRank: 64 };
    assert.deepEqual(gangsThatFit(agents(2, 2, 1, 0), [four, two, one]), [true, false, true]);
    assert.deepEqual(gangsThatFit(agents(2, 1), [four, two]), [false, true]);
  });

  it('needs the named number of distinct agents, each with its share of ranks', () => {
    const four = { ranks: 4, cpusPerRank: 1, memMbPerRank: 64, nodeCount: 2 };
    assert.deepEqual(gangsThatFit(agents(4), [four]), [false], 'one agent cannot be two nodes');
    assert.deepEqual(gangsThatFit(agents(3, 1), [four]), [false], 'two ranks per node');
    assert.deepEqual(gangsThatFit(agents(2, 2), [four]), [true]);
  });

  it('counts memory as well as cpus, and spreads a gang without a node count anywhere', () => {
    assert.deepEqual(gangsThatFit([{ cpus: 4, memMb: 100 }], [{ ranks: 2, cpusPerRank: 1, memMbPerRank: 64 }]), [false]);
    assert.deepEqual(gangsThatFit(agents(1, 1, 1), [{ ranks: 3, cpusPerRank: 1, memMbPerRank: 64 }]), [true]);
    assert.deepEqual(gangsThatFit([], [{ ranks: 1, cpusPerRank: 1, memMbPerRank: 64 }]), [false]);
  });
});
