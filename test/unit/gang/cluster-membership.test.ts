import assert from 'node:assert/strict';
import { ClusterMembership, OfferPolicy, type OfferPolicyConfig, type PolicyDecision, type WaitingGang } from '@msched/gang';
import type { AgentState, ClusterState } from '@msched/mesos';

const T0 = Date.UTC(2026, 11, 7, 8, 0, 0);
const s = (seconds: number) => T0 + seconds * 1000;
const config: OfferPolicyConfig = { roles: ['mpi'], holdSeconds: 30, declineRefuseSeconds: 10, idleRefuseSeconds: 300, reservationAgingSeconds: 600 };

const amounts = (cpus: number) => ({ cpus, mem: 8192, disk: 0, gpus: 0, ports: [{ begin: 31000, end: 31999 }] });
const agent = (id: string, cpus = 2, active = true): AgentState => ({
  id, hostname: id, active, attributes: {}, total: amounts(cpus), used: amounts(0), offered: amounts(0), reservedByRole: {},
});
const cluster = (agents: AgentState[], extra: Partial<ClusterState> = {}): ClusterState => ({ masterUrl: 'http://m:5050', agents, ...extra });
/** Two ranks on two nodes: needs two agents. */
const twoNodes = (gangId: string): WaitingGang => ({ gangId, wallTimeSeconds: 600, queuedAt: T0, request: { ranks: 2, cpusPerRank: 1, memMbPerRank: 512, role: 'mpi', nodeCount: 2 } });
const fails = (d: PolicyDecision[]) => d.flatMap((x) => (x.type === 'fail' ? [x.gangId] : []));

describe('cluster membership (what "can never fit" is judged against)', () => {
  it('counts an agent that left the list for the return window, then forgets it', () => {
    const m = new ClusterMembership(60_000);
    m.observe(cluster([agent('S1'), agent('S2')]), T0);
    assert.deepEqual(m.observe(cluster([agent('S1')]), s(59)).state.agents.map((a) => a.id), ['S1', 'S2']);
    assert.deepEqual(m.observe(cluster([agent('S1')]), s(61)).state.agents.map((a) => a.id), ['S1']);
  });

  it('counts a disconnected agent as a member', () => {
    const v = new ClusterMembership().observe(cluster([agent('S1'), agent('S2', 2, false)]), T0);
    assert.deepEqual(v.state.agents.map((a) => [a.id, a.active]), [['S1', true], ['S2', true]]);
    assert.equal(v.incomplete, undefined);
  });

  it('calls the view incomplete while the master still waits for agents of its registry', () => {
    const v = new ClusterMembership().observe(cluster([agent('S1')], { recoveringAgentIds: ['S2', 'S3'] }), T0);
    assert.equal(v.incomplete, 'the leading master still waits for 2 agent(s) of its registry to re-register');
  });
});

describe('offer policy: no "can never fit" verdict on a passing moment of the cluster', () => {
  it('keeps a gang waiting while the new master has only part of its agents back, and fails it only on the whole cluster', () => {
    const p = new OfferPolicy(config);
    // A dispatcher that took over during a master failover: its first read has 1 of 3 agents.
    const first = p.handle([{ type: 'clusterState', state: cluster([agent('S1', 1)], { recoveringAgentIds: ['S2', 'S3'] }) }, { type: 'gangQueued', gang: twoNodes('g') }], T0);
    assert.deepEqual(fails(first), []);
    assert.deepEqual(p.waiting().map((g) => g.gangId), ['g']);
    // The agents are back: it fits, it keeps waiting for offers.
    assert.deepEqual(fails(p.handle({ type: 'clusterState', state: cluster([agent('S1', 1), agent('S2', 1), agent('S3', 1)]) }, s(10))), []);
    // A gang that does not fit even the whole cluster still fails at once.
    const huge: WaitingGang = { ...twoNodes('huge'), request: { ranks: 8, cpusPerRank: 1, memMbPerRank: 512, role: 'mpi', nodeCount: 2 } };
    assert.deepEqual(fails(p.handle({ type: 'gangQueued', gang: huge }, s(11))), ['huge']);
  });

  it('keeps a gang waiting while an agent it needs is away, and fails it once the agent has been gone for the return window', () => {
    const p = new OfferPolicy({ ...config, agentReturnWindowSeconds: 120 });
    p.handle([{ type: 'clusterState', state: cluster([agent('S1', 1), agent('S2', 1)]) }, { type: 'gangQueued', gang: twoNodes('g') }], T0);
    assert.deepEqual(fails(p.handle({ type: 'clusterState', state: cluster([agent('S1', 1)]) }, s(30))), [], 'S2 restarting: no verdict');
    assert.deepEqual(fails(p.handle({ type: 'clusterState', state: cluster([agent('S1', 1), agent('S2', 1, false)]) }, s(60))), [], 'S2 back, disconnected');
    assert.deepEqual(fails(p.handle({ type: 'clusterState', state: cluster([agent('S1', 1)]) }, s(170))), [], 'last seen 110 s ago');
    assert.deepEqual(fails(p.handle({ type: 'clusterState', state: cluster([agent('S1', 1)]) }, s(190))), ['g'], 'gone for more than 120 s');
  });
});
