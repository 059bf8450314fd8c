import assert from 'node:assert/strict';
import { fitsOnAgents, placeOnAgents, type AgentResources, type GangRequest } from '@msched/gang';

/** A small deterministic generator (the same cases on every run). */
function generator(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
}

const agent = (i: number, cpus: number, mem: number): AgentResources => ({
  agentId: `a${String(i).padStart(3, '0')}`, hostname: `h${i}`, cpus, mem, disk: 0, ports: [], portCount: 0, attributes: {}, offerIds: [`o${i}`],
});

/**
 * The pack plan as documented, written plainly: agents ranked by room for ranks (most first, agent
 * order among equals), the roomiest filled, the remainder on the smallest agent that holds it.
 */
function expectedPack(request: GangRequest, agents: readonly AgentResources[]): Array<[string, number]> | undefined {
  const room = agents.map((a, i) => ({ a, i, slots: Math.min(Math.floor((a.cpus + 1e-6) / request.cpusPerRank), Math.floor((a.mem + 1e-6) / request.memMbPerRank)) }))
    .filter((c) => c.slots >= 1)
    .sort((x, y) => y.slots - x.slots || x.i - y.i);
  let left = request.ranks;
  const picks: Array<[string, number]> = [];
  for (let k = 0; k < room.length && left > 0; k++) {
    if (room[k].slots >= left) {
      // The smallest agent from here on that holds the rest, the first of equals.
      let best = k;
      for (let j = k + 1; j < room.length; j++) if (room[j].slots >= left && room[j].slots < room[best].slots) best = j;
      picks.push([room[best].a.agentId, left]);
      return picks;
    }
    picks.push([room[k].a.agentId, room[k].slots]);
    left -= room[k].slots;
  }
  return undefined;
}

describe('gang placement: the pack plan from slot counts', () => {
  it('places as the documented pack rule does, over random agents and gangs', () => {
    const rand = generator(7);
    let placedCount = 0;
    for (let run = 0; run < 400; run++) {
      const agents = Array.from({ length: 1 + rand(30) }, (_, i) => agent(i, rand(9) + (rand(4) === 0 ? 0.5 : 0), 1024 * rand(10)));
      const request: GangRequest = { ranks: 1 + rand(40), cpusPerRank: rand(3) === 0 ? 0.5 : 1 + rand(2), memMbPerRank: 1024 * (1 + rand(2)), role: 'mpi', portsPerAgent: 0 };
      const result = placeOnAgents(request, agents, 'free');
      const expected = expectedPack(request, agents);
      assert.equal(result.kind, expected ? 'placed' : 'unplaceable', `run ${run}`);
      assert.equal(fitsOnAgents(request, agents, 'free'), expected !== undefined, `run ${run}`);
      if (result.kind === 'placed') {
        placedCount++;
        assert.deepEqual(result.assignments.map((a) => [a.agentId, a.ranks.length]), expected, `run ${run}`);
        assert.deepEqual(result.assignments.flatMap((a) => a.ranks), Array.from({ length: request.ranks }, (_, i) => i));
      }
    }
    // Both outcomes were exercised.
    assert.ok(placedCount > 50 && placedCount < 350, `${placedCount} placed of 400`);
  });

  it('fitsOnAgents answers as placeOnAgents does with a node layout too', () => {
    const rand = generator(11);
    for (let run = 0; run < 300; run++) {
      const agents = Array.from({ length: 1 + rand(12) }, (_, i) => agent(i, rand(9), 1024 * rand(10)));
      const ranks = 1 + rand(24);
      const request: GangRequest = { ranks, cpusPerRank: 1, memMbPerRank: 1024, role: 'mpi', portsPerAgent: 0, nodeCount: 1 + rand(Math.min(ranks, 6)) };
      assert.equal(fitsOnAgents(request, agents, 'free'), placeOnAgents(request, agents, 'free').kind === 'placed', `run ${run}`);
    }
  });
});
