import assert from 'node:assert/strict';
import { InvalidGangRequestError, OfferSnapshot, placeGang, type GangRequest, type PlacementResult } from '@msched/gang';
import { offer } from './support/offers';

const req = (r: Partial<GangRequest>): GangRequest => ({ ranks: 4, cpusPerRank: 1, memMbPerRank: 1024, role: 'mpi', ...r });

function placed(result: PlacementResult) {
  assert.equal(result.kind, 'placed', result.kind === 'unplaceable' ? result.reasons.join('\n') : '');
  return result.kind === 'placed' ? result.assignments : [];
}

function unplaceable(result: PlacementResult) {
  assert.equal(result.kind, 'unplaceable');
  return result.kind === 'unplaceable' ? result : assert.fail('placed');
}

/** agentId → rank numbers, the shape most assertions care about. */
const layout = (r: PlacementResult) => placed(r).map((a) => [a.agentId, a.ranks.join(',')]);

describe('gang placement: placeGang', () => {
  it('puts a gang that fits one agent into one task owning every rank', () => {
    const snap = OfferSnapshot.fromOffers([offer({ id: 'O-1', agent: 'a1', cpus: 8, mem: 16384 })]);
    const [a, ...rest] = placed(placeGang(req({ ranks: 4, cpusPerRank: 2, memMbPerRank: 2048 }), snap));
    assert.equal(rest.length, 0);
    assert.deepEqual(a, { agentId: 'a1', hostname: 'a1', offerIds: ['O-1'], ranks: [0, 1, 2, 3], cpus: 8, mem: 8192, disk: 0, ports: [31000] });
  });

  it('packs onto as few agents as fit, roomiest first, the remainder on the smallest agent that holds it', () => {
    const snap = OfferSnapshot.fromOffers([
      offer({ agent: 'a1', cpus: 8, mem: 65536 }),
      offer({ agent: 'a2', cpus: 16, mem: 65536 }),
      offer({ agent: 'a3', cpus: 4, mem: 65536 }),
    ]);
    // 16 on a2, then 4 left: a3 (4 slots) holds them and leaves the larger a1 for someone else.
    assert.deepEqual(layout(placeGang(req({ ranks: 20 }), snap)), [
      ['a2', '0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15'],
      ['a3', '16,17,18,19'],
    ]);
  });

  it('gives each agent contiguous ranks and cpus/mem for exactly its ranks', () => {
    const snap = OfferSnapshot.fromOffers([offer({ agent: 'a', cpus: 2, mem: 4096 }), offer({ agent: 'b', cpus: 2, mem: 4096 })]);
    const [first, second] = placed(placeGang(req({ ranks: 4, memMbPerRank: 1000 }), snap));
    assert.deepEqual([first.agentId, first.ranks, first.cpus, first.mem], ['a', [0, 1], 2, 2000]);
    assert.deepEqual([second.agentId, second.ranks, second.cpus, second.mem], ['b', [2, 3], 2, 2000]);
  });

  it('breaks ties between equally roomy agents by agent id, whatever the offer order', () => {
    const offers = ['c', 'a', 'd', 'b'].map((agent) => offer({ agent, cpus: 2, mem: 4096 }));
    const forward = layout(placeGang(req({ ranks: 4 }), OfferSnapshot.fromOffers(offers)));
    const backward = layout(placeGang(req({ ranks: 4 }), OfferSnapshot.fromOffers([...offers].reverse())));
    assert.deepEqual(forward, [['a', '0,1'], ['b', '2,3']]);
    assert.deepEqual(backward, forward);
  });

  it('memory can be the limit on ranks per agent', () => {
    const snap = OfferSnapshot.fromOffers([offer({ agent: 'a', cpus: 32, mem: 3072 }), offer({ agent: 'b', cpus: 4, mem: 8192 })]);
    // a: 32 cpus but memory for 3 ranks; b: 4 ranks. Roomiest first is b.
    assert.deepEqual(layout(placeGang(req({ ranks: 6 }), snap)), [['b', '0,1,2,3'], ['a', '4,5']]);
  });

  it('sums several offers of one agent and accepts them all together', () => {
    const snap = OfferSnapshot.fromOffers([
      offer({ id: 'O-7', agent: 'a', cpus: 2, mem: 2048, ports: [[31000, 31000]] }),
      offer({ id: 'O-8', agent: 'a', cpus: 2, mem: 2048, ports: [[31001, 31001]] }),
    ]);
    const [a] = placed(placeGang(req({ ranks: 4, portsPerAgent: 2 }), snap));
    assert.deepEqual(a.offerIds, ['O-7', 'O-8']);
    assert.deepEqual(a.ranks, [0, 1, 2, 3]);
    assert.deepEqual(a.ports, [31000, 31001]);
  });

  it('places all ranks or none, and says by how much it falls short', () => {
    const snap = OfferSnapshot.fromOffers([
      offer({ agent: 'agent1', cpus: 8, mem: 16384 }),
      offer({ agent: 'agent2', cpus: 8, mem: 16384 }),
      offer({ agent: 'agent3', cpus: 4, mem: 16384 }),
    ]);
    const u = unplaceable(placeGang(req({ ranks: 8, cpusPerRank: 4, memMbPerRank: 1024 }), snap));
    assert.equal(u.reasons[0], '8 ranks need 32 cpus and 8192 MB memory; 20 cpus and 49152 MB free on 3 agents');
    assert.equal(u.reasons[1], 'the 3 usable agents have room for 5 of 8 ranks');
  });

  it('records per agent which filter left it out and why', () => {
    const snap = OfferSnapshot.fromOffers([
      offer({ agent: 'agent1', cpus: 2, mem: 16384 }),
      offer({ agent: 'agent2', cpus: 8, mem: 512 }),
      offer({ agent: 'agent3', cpus: 8, mem: 16384, ports: [] }),
      offer({ agent: 'S4', host: 'node4', cpus: 4, mem: 4096 }),
    ]);
    const u = unplaceable(placeGang(req({ ranks: 8, cpusPerRank: 4 }), snap));
    assert.deepEqual(u.rejections.map((r) => [r.agentId, r.filter, r.reason]), [
      ['agent1', 'cpus', 'agent1: 2 cpus free, a rank needs 4'],
      ['agent2', 'mem', 'agent2: 512 MB memory free, a rank needs 1024 MB'],
      ['agent3', 'ports', 'agent3: 0 ports free, each agent of the gang needs 1'],
    ]);
    assert.ok(u.reasons.includes('left out: 1 agent by cpus, 1 agent by mem, 1 agent by ports'), u.reasons.join('\n'));
    assert.ok(u.reasons.includes('agent1: 2 cpus free, a rank needs 4'));
    assert.equal(u.reasons[1], 'the only usable agent has room for 1 of 8 ranks');
  });

  it('names the agent by host name and id when they differ', () => {
    const snap = OfferSnapshot.fromOffers([offer({ agent: 'S1', host: 'node1', cpus: 1, mem: 4096 })]);
    const u = unplaceable(placeGang(req({ ranks: 1, cpusPerRank: 2 }), snap));
    assert.equal(u.rejections[0].reason, 'node1 [S1]: 1 cpu free, a rank needs 2');
  });

  it('uses only offers of the gang\'s role and says when offers exist only for others', () => {
    const snap = OfferSnapshot.fromOffers([offer({ agent: 'a', cpus: 64, mem: 65536, role: 'batch' })]);
    const u = unplaceable(placeGang(req({ ranks: 1 }), snap));
    assert.deepEqual(u.reasons, ['no offers for role "mpi"', 'offers are held only for other roles: batch']);
    assert.equal(placed(placeGang(req({ ranks: 1, role: 'batch' }), snap)).length, 1);
  });

  it('says so when there are no offers at all', () => {
    assert.deepEqual(unplaceable(placeGang(req({}), OfferSnapshot.EMPTY)).reasons, ['no offers for role "mpi"']);
  });

  describe('with nodeCount', () => {
    const snap = OfferSnapshot.fromOffers([
      offer({ agent: 'a1', cpus: 16, mem: 65536 }),
      offer({ agent: 'a2', cpus: 8, mem: 65536 }),
      offer({ agent: 'a3', cpus: 4, mem: 65536 }),
      offer({ agent: 'a4', cpus: 2, mem: 65536 }),
    ]);

    it('uses exactly nodeCount agents, ceil(ranks/nodeCount) each and the remainder on the last', () => {
      // 10 ranks over 3 nodes: 4, 4, 2. The last share goes to the smallest agent that holds 2.
      assert.deepEqual(layout(placeGang(req({ ranks: 10, nodeCount: 3 }), snap)), [
        ['a1', '0,1,2,3'],
        ['a2', '4,5,6,7'],
        ['a4', '8,9'],
      ]);
    });

    it('spreads a gang that one agent could hold when nodeCount asks for more agents', () => {
      assert.deepEqual(layout(placeGang(req({ ranks: 4, nodeCount: 2 }), snap)), [['a1', '0,1'], ['a4', '2,3']]);
    });

    it('nodeCount 1 puts everything on one agent, the smallest that holds it', () => {
      assert.deepEqual(layout(placeGang(req({ ranks: 4, nodeCount: 1 }), snap)), [['a3', '0,1,2,3']]);
    });

    it('explains a layout that the agents cannot honour', () => {
      const u = unplaceable(placeGang(req({ ranks: 20, nodeCount: 4 }), snap));
      assert.equal(u.reasons[1], 'nodeCount 4 needs 4 agents with room for 5 ranks each; of 2 usable agents, 2 have room for 5');
      assert.deepEqual(u.rejections.map((r) => r.reason), [
        'a3: room for 4 ranks, nodeCount 4 puts 5 on each node',
        'a4: room for 2 ranks, nodeCount 4 puts 5 on each node',
      ]);
    });

    it('accepts an agent too small for a full share as the last node', () => {
      const small = OfferSnapshot.fromOffers([offer({ agent: 'a', cpus: 4, mem: 65536 }), offer({ agent: 'b', cpus: 1, mem: 65536 })]);
      // 5 ranks over 2 nodes = 3 + 2: b (1 slot) holds neither, so the gang does not fit.
      assert.equal(placeGang(req({ ranks: 5, nodeCount: 2 }), small).kind, 'unplaceable');
      const fits = OfferSnapshot.fromOffers([offer({ agent: 'a', cpus: 4, mem: 65536 }), offer({ agent: 'b', cpus: 2, mem: 65536 })]);
      assert.deepEqual(layout(placeGang(req({ ranks: 5, nodeCount: 2 }), fits)), [['a', '0,1,2'], ['b', '3,4']]);
    });
  });

  it('counts fractional cpus with Mesos\' three-decimal precision', () => {
    const snap = OfferSnapshot.fromOffers([offer({ agent: 'a', cpus: 0.3, mem: 4096 })]);
    assert.deepEqual(layout(placeGang(req({ ranks: 3, cpusPerRank: 0.1, memMbPerRank: 100 }), snap)), [['a', '0,1,2']]);
  });

  it('never places ranks on revocable cpus', () => {
    const snap = OfferSnapshot.fromOffers([
      offer({ agent: 'a', cpus: 1, mem: 8192, extra: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 8 }, revocable: {} }] }),
    ]);
    assert.equal(placeGang(req({ ranks: 2 }), snap).kind, 'unplaceable');
  });

  it('asks for disk per rank only when the gang needs disk', () => {
    const snap = OfferSnapshot.fromOffers([offer({ agent: 'a', cpus: 8, mem: 8192, disk: 1000 })]);
    assert.equal(placed(placeGang(req({ ranks: 2, diskMbPerRank: 500 }), snap))[0].disk, 1000);
    const u = unplaceable(placeGang(req({ ranks: 1, diskMbPerRank: 2000 }), snap));
    assert.equal(u.rejections[0].reason, 'a: 1000 MB disk free, a rank needs 2000 MB');
  });

  it('takes the lowest ports of merged ranges, and none when portsPerAgent is 0', () => {
    const snap = OfferSnapshot.fromOffers([offer({ agent: 'a', cpus: 8, mem: 8192, ports: [[31005, 31009], [31000, 31001]] })]);
    assert.deepEqual(placed(placeGang(req({ ranks: 1, portsPerAgent: 3 }), snap))[0].ports, [31000, 31001, 31005]);
    const noPorts = OfferSnapshot.fromOffers([offer({ agent: 'a', cpus: 8, mem: 8192, ports: [] })]);
    assert.deepEqual(placed(placeGang(req({ ranks: 1, portsPerAgent: 0 }), noPorts))[0].ports, []);
  });

  it('keeps at most 20 per-agent lines in the reasons but every rejection in the list', () => {
    const offers = Array.from({ length: 30 }, (_, i) => offer({ agent: `n${String(i).padStart(2, '0')}`, cpus: 1, mem: 8192 }));
    const u = unplaceable(placeGang(req({ ranks: 1, cpusPerRank: 2 }), OfferSnapshot.fromOffers(offers)));
    assert.equal(u.rejections.length, 30);
    assert.equal(u.reasons.filter((r) => r.includes('a rank needs 2')).length, 20);
    assert.equal(u.reasons[u.reasons.length - 1], '… and 10 more agents left out');
  });

  it('refuses an invalid request with every problem named', () => {
    assert.throws(
      () => placeGang(req({ ranks: 0, cpusPerRank: -1 }), OfferSnapshot.EMPTY),
      (e: unknown) => e instanceof InvalidGangRequestError && !e.retriable
        && e.problems.includes('ranks must be a positive integer, got 0')
        && e.problems.includes('cpusPerRank must be a positive number, got -1'),
    );
    assert.throws(() => placeGang(req({ ranks: 2, nodeCount: 3 }), OfferSnapshot.EMPTY), /nodeCount 3 is more than the 2 ranks/);
  });
});
