import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ComputationalResourceSchedulingModel, DataType, ExperimentModel, ExperimentType, InputDataObjectType, UserConfigurationDataModel,
} from '@msched/airavata-thrift';
import { startDispatcher, DispatcherHandle } from '@msched/dispatcher';
import { startLocalCluster, LocalCluster } from '@msched/mesos-local';
import { fetchClusterState } from '@msched/mesos';
import { parseCatalogue, startProvisioner, ProvisionerHandle } from '@msched/provisioner';
import { eventually, startApiHarness, ApiHarness, testLogger, TOKEN } from '../../helpers/pipeline';
import { requireStack } from '../../helpers/stack';

const REPO = join(__dirname, '../../../..');

/**
 * Capacity: with the local provider, a gang larger than the cluster gets agents added for it (each
 * a process that registers with the master), runs, and the agents are released after the job; a
 * gang that no provider can fit fails at once with the reason.
 */
describe('provisioner capacity: adding agents for a gang and releasing them (integration)', function () {
  this.timeout(180000);
  let cluster: LocalCluster;
  let h: ApiHarness;
  let prov: ProvisionerHandle;
  let disp: DispatcherHandle;

  before(async () => {
    await requireStack('postgres', 'kafka', 'zookeeper');
    const dir = mkdtempSync(join(tmpdir(), 'msched-capacity-'));
    execFileSync('mpicc.openmpi', ['-O1', '-o', join(dir, 'pi'), join(REPO, 'deploy/local/demo/mpi_pi.c')]);
    cluster = await startLocalCluster({ agents: 1, cpus: 2, mem: 2048, port: 0, workDir: join(dir, 'cluster'), logger: testLogger('mesos-local') });
    h = await startApiHarness('capacity', {
      MSCHED_MESOS_MASTER: cluster.masterUrl, MSCHED_STATE_DIR: dir, MSCHED_DATA_ROOT: join(dir, 'data'),
      MSCHED_CAPACITY_PROVIDER: 'local', MSCHED_CAPACITY_AGENT_CPUS: '2', MSCHED_CAPACITY_AGENT_MEM_MB: '1024', MSCHED_CAPACITY_MAX_AGENTS: '2',
      MSCHED_PROVISIONER_HEALTH_PORT: '0', MSCHED_DISPATCHER_HEALTH_PORT: '0', MSCHED_PROVISIONER_RUN_PUBLISHERS: 'false',
      MSCHED_MPI_NETWORK_INTERFACES: 'lo', MSCHED_MPI_OPENMPI_BTL: 'tcp,self', MSCHED_MPI_LAUNCHER_ADDRESS: '127.0.0.1',
      MSCHED_OUTBOX_POLL_INTERVAL_MS: '100', MSCHED_DISPATCHER_OFFER_HOLD_SECONDS: '3',
    });
    const catalogue = parseCatalogue({ applications: { pi: { executable: join(dir, 'pi'), mpi: 'openmpi', memMbPerRank: 128 } } });
    prov = await startProvisioner(h.cfg, { logger: testLogger('provisioner'), catalogue });
    disp = await startDispatcher(h.cfg, { logger: testLogger('dispatcher') });
    await eventually(async () => disp.leader()?.isSubscribed, 'the dispatcher to lead');
  });

  after(async () => {
    await disp?.stop();
    await prov?.stop();
    await h?.close();
    await cluster?.stop();
  });

  const launch = (cpus: number) => h.client.client.launchExperiment(TOKEN, new ExperimentModel({
    experimentId: `CAP_${cpus}_${Date.now().toString(36)}`, projectId: 'p', gatewayId: 'gw', experimentType: ExperimentType.SINGLE_APPLICATION,
    userName: 'u', experimentName: 'capacity', executionId: 'pi',
    userConfigurationData: new UserConfigurationDataModel({
      airavataAutoSchedule: false, overrideManualScheduledParams: false,
      computationalResourceScheduling: new ComputationalResourceSchedulingModel({ resourceHostId: 'mesos-local', totalCPUCount: cpus, numberOfThreads: 1, queueName: 'normal', wallTimeLimit: 5 }),
    }),
    experimentInputs: [new InputDataObjectType({ name: 'steps', value: '1000', type: DataType.INTEGER, inputOrder: 1, requiredToAddedToCommandLine: true })],
  }));
  const ended = (processId: string) => eventually(async () => {
    const [r] = await h.ds.query('SELECT state FROM processes WHERE id = $1', [processId]);
    return ['COMPLETED', 'FAILED', 'CANCELED'].includes(r?.state) ? r.state as string : undefined;
  }, 'the process to end', 120000);
  const activeAgents = async () => (await fetchClusterState(cluster.masterUrl)).agents.filter((a) => a.active).map((a) => a.hostname).sort();

  it('adds agents to run a gang larger than the cluster, then releases them', async () => {
    assert.deepEqual(await activeAgents(), ['agent1']);
    const ids = await launch(6);
    assert.equal(await ended(ids.processId), 'COMPLETED');
    const tasks = await h.ds.query('SELECT hostname FROM tasks WHERE job_id = $1 ORDER BY hostname', [ids.jobId]);
    assert.equal(tasks.length, 3, 'the gang ran over the cluster\'s agent and the two added ones');
    assert.ok(tasks.some((t: { hostname: string }) => t.hostname.startsWith('lease-')), JSON.stringify(tasks));
    await eventually(async () => (await activeAgents()).length === 1, 'the added agents to leave the cluster', 30000);
    assert.deepEqual(await activeAgents(), ['agent1']);
  });

  it('fails at once, with the reason, a gang no provider can fit', async () => {
    const ids = await launch(16);
    assert.equal(await ended(ids.processId), 'FAILED');
    const [r] = await h.ds.query(`SELECT reason FROM status_history WHERE entity_type = 'process' AND entity_id = $1 AND state = 'FAILED'`, [ids.processId]);
    assert.match(r.reason, /^capacity: the gang needs more agents than the local provider may add \(2 of 2 cpus, 1024 MB\): 16 ranks need 16 cpus/);
  });
});
