import assert from 'node:assert/strict';
import {
  ComputationalResourceSchedulingModel, DataType, ExperimentModel, ExperimentType, InputDataObjectType, UserConfigurationDataModel,
} from '@msched/airavata-thrift';
import { fetchClusterState } from '@msched/mesos';
import { eventually } from '../../helpers/eventually';
import { TOKEN } from '../../helpers/pipeline';
import { requireStack } from '../../helpers/stack';
import { compileDemoPi, processEnds, startWholePipeline, WholePipeline } from '../../helpers/whole-pipeline';

/**
 * Capacity: with the local provider, a gang larger than the cluster gets agents added for it (each
 * a process that registers with the master), runs, and the agents are released after the job; a
 * gang that no provider can fit fails at once with the reason.
 */
describe('provisioner capacity: adding agents for a gang and releasing them (integration)', function () {
  this.timeout(180000);
  let h: WholePipeline;

  before(async () => {
    await requireStack('postgres', 'kafka', 'zookeeper');
    h = await startWholePipeline('capacity', {
      cluster: { agents: 1, cpus: 2, mem: 2048 },
      applications: (dir) => ({ pi: { executable: compileDemoPi(dir, 'openmpi'), mpi: 'openmpi', memMbPerRank: 128 } }),
      env: { MSCHED_CAPACITY_PROVIDER: 'local', MSCHED_CAPACITY_AGENT_CPUS: '2', MSCHED_CAPACITY_AGENT_MEM_MB: '1024', MSCHED_CAPACITY_MAX_AGENTS: '2' },
    });
  });

  after(() => h?.stop());

  const launch = (cpus: number) => h.client.client.launchExperiment(TOKEN, new ExperimentModel({
    experimentId: `CAP_${cpus}_${Date.now().toString(36)}`, projectId: 'p', gatewayId: 'gw', experimentType: ExperimentType.SINGLE_APPLICATION,
    userName: 'u', experimentName: 'capacity', executionId: 'pi',
    userConfigurationData: new UserConfigurationDataModel({
      airavataAutoSchedule: false, overrideManualScheduledParams: false,
      computationalResourceScheduling: new ComputationalResourceSchedulingModel({ resourceHostId: 'mesos-local', totalCPUCount: cpus, numberOfThreads: 1, queueName: 'normal', wallTimeLimit: 5 }),
    }),
    experimentInputs: [new InputDataObjectType({ name: 'steps', value: '1000', type: DataType.INTEGER, inputOrder: 1, requiredToAddedToCommandLine: true })],
  }));
  const ended = (processId: string) => processEnds(h, processId);
  const activeAgents = async () => (await fetchClusterState(h.cluster.masterUrl)).agents.filter((a) => a.active).map((a) => a.hostname).sort();

  it('adds agents to run a gang larger than the cluster, then releases them', async () => {
    assert.deepEqual(await activeAgents(), ['agent1']);
    const ids = await launch(6);
    assert.equal(await ended(ids.processId), 'COMPLETED');
    const tasks = await h.ds.query('SELECT hostname FROM tasks WHERE job_id = $1 ORDER BY hostname', [ids.jobId]);
    assert.equal(tasks.length, 3, 'the gang ran over the cluster\'s agent and the two added ones');
    assert.ok(tasks.some((t: { hostname: string }) => t.hostname.startsWith('lease-')), JSON.stringify(tasks));
    await eventually('the added agents to leave the cluster', async () => (await activeAgents()).length === 1 || undefined, 30000);
    assert.deepEqual(await activeAgents(), ['agent1']);
  });

  it('fails at once, with the reason, a gang no provider can fit', async () => {
    const ids = await launch(16);
    assert.equal(await ended(ids.processId), 'FAILED');
    const [r] = await h.ds.query(`SELECT reason FROM status_history WHERE entity_type = 'process' AND entity_id = $1 AND state = 'FAILED'`, [ids.processId]);
    assert.match(r.reason, /^capacity: the gang needs more agents than the local provider may add \(2 of 2 cpus, 1024 MB\): 16 ranks need 16 cpus/);
  });
});
