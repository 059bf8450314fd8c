import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createLogger } from '@msched/logging';
import type { AgentState, ClusterState } from '@msched/mesos';
import { capacityStage, StaticCapacityProvider } from '@msched/provisioner';
import { freshDatabase, requireStack } from '../../helpers/stack';

/**
 * Found by the chaos run (docs/reliability.md): after a ZooKeeper outage both local masters lost
 * their sessions and a new leader took over, knowing no agent until they registered again; the
 * capacity stage read that empty cluster and failed a 2-rank gang for good ("the gang can never fit
 * this cluster: no agent has resources"). An empty cluster is no verdict: it waits for agents.
 */
describe('provisioner capacity: a leading master that knows no agent yet (integration)', function () {
  this.timeout(60_000);
  let ds: DataSource;
  const logger = createLogger({ service: 'capacity-failover', silent: process.env.MSCHED_TEST_LOGS !== '1' });

  before(async () => {
    await requireStack('postgres');
    ds = await freshDatabase();
  });
  after(() => ds?.destroy());

  const amounts = (cpus: number, mem: number) => ({ cpus, mem, disk: 10_000, gpus: 0, ports: [{ begin: 31000, end: 31100 }] });
  const none = { cpus: 0, mem: 0, disk: 0, gpus: 0, ports: [] };
  const agent = (i: number): AgentState => ({ id: `S${i}`, hostname: `agent${i}`, active: true, attributes: {}, total: amounts(2, 2048), used: none, offered: none, reservedByRole: {} });

  async function gangJob(extra: { nodeCount?: number } = {}): Promise<{ experimentId: string; processId: string; jobId: string }> {
    const experimentId = `exp-${randomUUID()}`;
    const processId = `proc-${randomUUID()}`;
    const jobId = `job-${randomUUID()}`;
    const spec = { jobId, processId, experimentId, gatewayId: 'gw', attempt: 1, ranks: 2, cpusPerRank: 1, memMbPerRank: 128, wallTimeSeconds: 60, role: 'mpi', app: {}, ...extra };
    await ds.query(`INSERT INTO experiments (id, gateway_id, user_name, project_id, name, payload_hash, model, state) VALUES ($1,'gw','u','p','n','h','{}','SCHEDULED')`, [experimentId]);
    await ds.query(`INSERT INTO processes (id, experiment_id, state, resource_schedule, compute_resource_id, model) VALUES ($1,$2,'QUEUED','{}','mesos','{}')`, [processId, experimentId]);
    await ds.query(`INSERT INTO jobs (id, process_id, experiment_id, task_id, attempt, state, gang_spec) VALUES ($1,$2,$3,'task-1',1,'SUBMITTED',$4)`, [jobId, processId, experimentId, JSON.stringify(spec)]);
    return { experimentId, processId, jobId };
  }

  it('waits for the agents to register with the new leader instead of failing the gang for good', async () => {
    const ids = await gangJob();
    let reads = 0;
    // The new leader knows no agent for its first three reads, then the two agents are back.
    const clusterState = async (): Promise<ClusterState> => ({ masterUrl: 'http://new-leader', agents: ++reads <= 3 ? [] : [agent(1), agent(2)] });
    const stage = capacityStage({ clusterState, provider: new StaticCapacityProvider(), agentsWaitMs: 10_000, agentsPollMs: 100 }, 1);
    await stage.run({ work: { stage: 'capacity', ...ids, gatewayId: 'gw', taskId: 'task-1' }, attempt: 1, ds, logger });
    assert.ok(reads >= 4, `read the cluster ${reads} time(s)`);
  });

  // The 5-minute seed-1 chaos run (this round): after a ZooKeeper outage the new leader had one of
  // its four agents back when the stage read it, and a 2-node gang failed for good.
  it('waits while the new leader still expects agents of its registry, instead of judging the part that is back', async () => {
    const ids = await gangJob({ nodeCount: 2 });
    let reads = 0;
    const clusterState = async (): Promise<ClusterState> =>
      ++reads <= 3 ? { masterUrl: 'http://new-leader', agents: [agent(1)], recoveringAgentIds: ['S2', 'S3'] } : { masterUrl: 'http://new-leader', agents: [agent(1), agent(2), agent(3)] };
    const stage = capacityStage({ clusterState, provider: new StaticCapacityProvider(), agentsWaitMs: 10_000, agentsPollMs: 100 }, 1);
    await stage.run({ work: { stage: 'capacity', ...ids, gatewayId: 'gw', taskId: 'task-1' }, attempt: 1, ds, logger });
    assert.ok(reads >= 4, `read the cluster ${reads} time(s)`);
  });

  it('retries later, not for good, when agents are still expected after the wait', async () => {
    const ids = await gangJob({ nodeCount: 2 });
    const clusterState = async (): Promise<ClusterState> => ({ masterUrl: 'http://new-leader', agents: [agent(1)], recoveringAgentIds: ['S2'] });
    const stage = capacityStage({ clusterState, provider: new StaticCapacityProvider(), agentsWaitMs: 500, agentsPollMs: 100 }, 1);
    await assert.rejects(stage.run({ work: { stage: 'capacity', ...ids, gatewayId: 'gw', taskId: 'task-1' }, attempt: 1, ds, logger }),
      (e: Error & { permanent?: boolean }) => e.permanent === false && /still waits for 1 agent\(s\) of its registry/.test(e.message));
  });

  it('counts a disconnected agent (restarting) as part of the cluster', async () => {
    const ids = await gangJob({ nodeCount: 2 });
    const clusterState = async (): Promise<ClusterState> => ({ masterUrl: 'http://leader', agents: [agent(1), { ...agent(2), active: false }] });
    const stage = capacityStage({ clusterState, provider: new StaticCapacityProvider(), agentsWaitMs: 1000, agentsPollMs: 100 }, 1);
    await stage.run({ work: { stage: 'capacity', ...ids, gatewayId: 'gw', taskId: 'task-1' }, attempt: 1, ds, logger });
  });

  it('still fails at once, for good, a gang larger than the agents it sees', async () => {
    const ids = await gangJob();
    const clusterState = async (): Promise<ClusterState> => ({ masterUrl: 'http://leader', agents: [{ ...agent(1), total: amounts(1, 2048) }] });
    const stage = capacityStage({ clusterState, provider: new StaticCapacityProvider(), agentsWaitMs: 10_000, agentsPollMs: 100 }, 1);
    await assert.rejects(stage.run({ work: { stage: 'capacity', ...ids, gatewayId: 'gw', taskId: 'task-1' }, attempt: 1, ds, logger }),
      (e: Error & { permanent?: boolean }) => /can never fit this cluster/.test(e.message));
  });
});
