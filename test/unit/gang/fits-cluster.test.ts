import assert from 'node:assert/strict';
import { capacityFromClusterState, fitsCluster, type GangRequest } from '@msched/gang';
import type { AgentState, ClusterState, ResourceAmounts } from '@msched/mesos';
import { capacity } from './support/offers';

const req = (r: Partial<GangRequest>): GangRequest => ({ ranks: 4, cpusPerRank: 1, memMbPerRank: 1024, role: 'mpi', ...r });

describe('gang placement: fitsCluster', () => {
  const cluster = capacity([
    { agent: 'n1', cpus: 32, mem: 131072 },
    { agent: 'n2', cpus: 32, mem: 131072 },
    { agent: 'n3', cpus: 16, mem: 65536 },
  ]);

  it('accepts a gang the cluster could hold when empty, even one using every agent', () => {
    assert.deepEqual(fitsCluster(req({ ranks: 80 }), cluster), { fits: true });
    assert.deepEqual(fitsCluster(req({ ranks: 3, cpusPerRank: 16, nodeCount: 3 }), cluster), { fits: true });
  });

  it('refuses a rank bigger than any agent, naming each agent\'s total', () => {
    const v = fitsCluster(req({ ranks: 1, cpusPerRank: 64 }), cluster);
    assert.equal(v.fits, false);
    if (v.fits) return;
    assert.equal(v.reasons[0], '1 rank needs 64 cpus and 1024 MB memory; 80 cpus and 327680 MB in total on 3 agents');
    assert.ok(v.reasons.includes('n1: 32 cpus in total, a rank needs 64'), v.reasons.join('\n'));
  });

  it('refuses a gang larger than the whole cluster', () => {
    const v = fitsCluster(req({ ranks: 81 }), cluster);
    assert.equal(v.fits, false);
    if (!v.fits) assert.equal(v.reasons[1], 'the 3 usable agents have room for 80 of 81 ranks');
  });

  it('refuses a nodeCount larger than the agents that can hold a node\'s share', () => {
    // 66 ranks fit the cluster's 80 cpus, but not as 33 + 33 on two agents of 32.
    const v = fitsCluster(req({ ranks: 66, nodeCount: 2 }), cluster);
    assert.equal(v.fits, false);
    if (!v.fits) assert.equal(v.reasons[1], 'nodeCount 2 needs 2 agents with room for 33 ranks each; of 0 usable agents, 0 have room for 33');
    // Four nodes on a three-agent cluster.
    const four = fitsCluster(req({ ranks: 4, nodeCount: 4 }), cluster);
    assert.equal(four.fits, false);
    if (!four.fits) assert.equal(four.reasons[1], 'nodeCount 4 needs 4 agents with room for 1 rank each; of 3 usable agents, 3 have room for 1');
  });

  it('refuses when no agent can give the gang a port', () => {
    const v = fitsCluster(req({ ranks: 1 }), capacity([{ agent: 'n1', cpus: 8, mem: 8192, ports: 0 }]));
    assert.equal(v.fits, false);
    if (!v.fits) assert.ok(v.reasons.includes('n1: 0 ports in total, each agent of the gang needs 1'));
  });

  describe('capacityFromClusterState', () => {
    const amounts = (cpus: number, mem: number, ports: Array<{ begin: number; end: number }> = []): ResourceAmounts => ({ cpus, mem, disk: 0, gpus: 0, ports });
    const agent = (id: string, a: Partial<AgentState>): AgentState => ({
      id, hostname: `${id}.example`, active: true, attributes: {},
      total: amounts(16, 32768, [{ begin: 31000, end: 31999 }]), used: amounts(0, 0), offered: amounts(0, 0), reservedByRole: {}, ...a,
    });
    const state: ClusterState = {
      masterUrl: 'http://m:5050',
      agents: [
        agent('S2', { reservedByRole: { mpi: amounts(4, 4096), analytics: amounts(8, 16384) } }),
        agent('S1', {}),
        agent('S3', { active: false }),
      ],
    };

    it('keeps active agents, in id order, minus what other roles have reserved', () => {
      const cap = capacityFromClusterState(state, 'mpi');
      assert.deepEqual(cap.agents.map((a) => [a.agentId, a.cpus, a.mem, a.portCount]), [['S1', 16, 32768, 1000], ['S2', 8, 16384, 1000]]);
      assert.deepEqual(capacityFromClusterState(state, 'analytics').agents.map((a) => [a.agentId, a.cpus]), [['S1', 16], ['S2', 12]]);
    });

    it('gives fitsCluster each role\'s own view of the agents', () => {
      assert.deepEqual(fitsCluster(req({ ranks: 2, cpusPerRank: 9 }), capacityFromClusterState(state, 'analytics')), { fits: true });
      assert.equal(fitsCluster(req({ ranks: 2, cpusPerRank: 9 }), capacityFromClusterState(state, 'mpi')).fits, false);
    });
  });
});
