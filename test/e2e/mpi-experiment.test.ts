import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import {
  ComputationalResourceSchedulingModel, DataType, ExperimentModel, ExperimentType, InputDataObjectType, OutputDataObjectType, UserConfigurationDataModel,
} from '@msched/airavata-thrift';
import { eventually } from '../helpers/eventually';
import { TOKEN } from '../helpers/pipeline';
import { requireStack } from '../helpers/stack';
import { compileDemoPi, processEnds, startWholePipeline, WholePipeline } from '../helpers/whole-pipeline';
import { AMQP_URL, bindQueues, decodeAiravata, deleteAmqp, drainQueue, requireRabbitMQ } from '../helpers/airavata-amqp';
import { RUN_ID } from '../helpers/stack';

/**
 * The demo's path with assertions, on the real stack: an experiment launched over Thrift as
 * Airavata's orchestrator would, through the provisioner and the dispatcher onto the local Mesos
 * cluster, run as real MPI across agents, outputs collected, sandboxes garbage-collected.
 */
describe('end to end: MPI and serial experiments from Thrift to results (real stack)', function () {
  this.timeout(180000);
  let h: WholePipeline;
  let dataRoot: string;

  // Airavata's status exchange of this run, with a queue seeing everything and one bound as
  // Airavata's orchestrator binds (process events only).
  const exchange = `e2e_status_${RUN_ID}`;
  const everything = `${exchange}.all`;
  const orchestrator = `${exchange}.orchestrator`;

  before(async () => {
    await requireStack('postgres', 'kafka', 'zookeeper');
    await requireRabbitMQ();
    await bindQueues(exchange, { [everything]: '#', [orchestrator]: '*.*.*' });
    h = await startWholePipeline('e2e', {
      cluster: { agents: 3, cpus: 2, mem: 2048, sandboxGcDelayMs: 1500 },
      applications: (dir) => ({
        'pi-openmpi': { executable: compileDemoPi(dir, 'openmpi'), mpi: 'openmpi', memMbPerRank: 128 },
        'pi-mpich': { executable: compileDemoPi(dir, 'mpich'), mpi: 'mpich', memMbPerRank: 128 },
        echo: { executable: '/bin/echo', mpi: 'none', memMbPerRank: 32 },
        sleep: { executable: '/bin/sleep', mpi: 'none', memMbPerRank: 32 },
        env: { executable: '/usr/bin/env', mpi: 'none', memMbPerRank: 32 },
      }),
      env: {
        MSCHED_PROVISIONER_RUN_PUBLISHERS: 'true', MSCHED_PUBLISHERS: 'airavata-kafka,airavata-amqp',
        MSCHED_PUBLISHERS_AMQP_URL: AMQP_URL, MSCHED_PUBLISHERS_AMQP_EXCHANGE: exchange,
      },
    });
    dataRoot = h.dataRoot;
  });

  after(async () => {
    await h?.stop();
    await deleteAmqp(exchange, [everything, orchestrator]).catch(() => undefined);
  });

  function experiment(app: string, sched: { cpus: number; nodes: number }, inputs: InputDataObjectType[], outputs: OutputDataObjectType[]): ExperimentModel {
    return new ExperimentModel({
      experimentId: `E2E_${app}_${Date.now().toString(36)}`, projectId: 'p', gatewayId: 'e2e-gw', experimentType: ExperimentType.SINGLE_APPLICATION,
      userName: 'e2e', experimentName: `e2e ${app}`, executionId: app,
      userConfigurationData: new UserConfigurationDataModel({
        airavataAutoSchedule: false, overrideManualScheduledParams: false,
        computationalResourceScheduling: new ComputationalResourceSchedulingModel({
          resourceHostId: 'mesos-local', totalCPUCount: sched.cpus, nodeCount: sched.nodes, numberOfThreads: 1, queueName: 'normal', wallTimeLimit: 5,
        }),
      }),
      experimentInputs: inputs, experimentOutputs: outputs,
    });
  }

  const piInputs = () => [
    new InputDataObjectType({ name: 'steps', value: '200000', type: DataType.INTEGER, inputOrder: 1, requiredToAddedToCommandLine: true }),
    new InputDataObjectType({ name: 'label', value: 'x; rm -rf / $(touch /tmp/msched-pwned)', type: DataType.STRING, inputOrder: 2, requiredToAddedToCommandLine: true }),
  ];
  const piOutputs = () => [new OutputDataObjectType({ name: 'console', type: DataType.STDOUT }), new OutputDataObjectType({ name: 'result', type: DataType.URI, value: 'result.txt' })];

  const processState = async (id: string) => (await h.ds.query('SELECT state FROM processes WHERE id = $1', [id]))[0]?.state as string;
  const history = async (experimentId: string, entity: string): Promise<string[]> => (await h.ds.query(
    'SELECT state FROM status_history WHERE experiment_id = $1 AND entity_type = $2 ORDER BY id', [experimentId, entity])).map((r: { state: string }) => r.state);
  const ended = (id: string) => processEnds(h, id);

  for (const flavour of ['openmpi', 'mpich'] as const) {
    it(`${flavour}: 4 ranks over 2 agents, launched over Thrift, COMPLETED with every rank's output collected`, async () => {
      const e = experiment(`pi-${flavour}`, { cpus: 4, nodes: 2 }, piInputs(), piOutputs());
      const ids = await h.client.client.launchExperiment(TOKEN, e);
      assert.equal(await ended(ids.processId), 'COMPLETED');

      const dir = join(dataRoot, 'e2e-gw', e.experimentId!);
      const stdout = readFileSync(join(dir, 'stdout'), 'utf8');
      const ranks = [...stdout.matchAll(/^rank (\d) of 4 on agent (agent\d): integrated 200000 steps$/gm)];
      assert.deepEqual(ranks.map((m) => m[1]).sort(), ['0', '1', '2', '3'], stdout);
      assert.equal(new Set(ranks.map((m) => m[2])).size, 2, `ranks on two agents: ${stdout}`);
      assert.match(stdout, /pi ~= 3\.1415926\d+ .* label argument: "x; rm -rf \/ \$\(touch \/tmp\/msched-pwned\)"/);
      assert.match(readFileSync(join(dir, 'result.txt'), 'utf8'), /^pi=3\.14159\d+ ranks=4 steps=200000\n$/);
      assert.equal(existsSync('/tmp/msched-pwned'), false, 'the input was never run by a shell');

      assert.deepEqual((await history(e.experimentId!, 'experiment')).slice(-1), ['COMPLETED']);
      const proc = await history(e.experimentId!, 'process');
      for (const s of ['PRE_PROCESSING', 'INPUT_DATA_STAGING', 'EXECUTING', 'MONITORING', 'OUTPUT_DATA_STAGING', 'POST_PROCESSING', 'COMPLETED']) assert.ok(proc.includes(s), `${s} in ${proc}`);
      assert.deepEqual((await history(e.experimentId!, 'job')).filter((s) => s !== 'QUEUED'), ['SUBMITTED', 'ACTIVE', 'COMPLETE']);

      const [job] = await h.ds.query('SELECT std_out, working_dir FROM jobs WHERE id = $1', [ids.jobId]);
      assert.deepEqual(job, { std_out: join(dir, 'stdout'), working_dir: dir });
      // Airavata's view over Thrift: the job with its status history.
      const jobs = await h.client.client.getJobs(TOKEN, e.experimentId!);
      assert.equal(jobs.length, 1);
      assert.equal(jobs[0].jobId, ids.jobId);

      if (flavour === 'openmpi') await airavataSeesTheChain(e.experimentId!, ids.processId, ids.jobId);

      // The agents garbage-collect the sandboxes once the outputs are out.
      const sandboxes = (await h.ds.query('SELECT sandbox_path FROM tasks WHERE job_id = $1', [ids.jobId])).map((r: { sandbox_path: string }) => r.sandbox_path);
      assert.equal(sandboxes.length, 2);
      await eventually('the sandboxes to be garbage-collected', () => sandboxes.every((p: string) => !existsSync(p)) || undefined, 20000);
    });
  }

  /**
   * What Airavata sees on RabbitMQ for this experiment (decoded with the types generated from our
   * IDL): the whole chain in order, with Airavata's routing keys; its orchestrator's `*.*.*` binding
   * gets the process events only.
   */
  async function airavataSeesTheChain(experimentId: string, processId: string, jobId: string): Promise<void> {
    const mine = (m: { body: Buffer }) => decodeAiravata(m.body).experimentId === experimentId;
    const all = (await drainQueue(everything, (got) => got.some((m) => mine(m) && decodeAiravata(m.body).summary.startsWith('EXPERIMENT') && decodeAiravata(m.body).summary.endsWith(' COMPLETED')), 60000)).filter(mine);
    const decoded = all.map((m) => ({ ...decodeAiravata(m.body), routingKey: m.routingKey }));
    for (const d of decoded) assert.equal(d.summary.split(' ')[1], d.routingKey, 'the routing key is the event\'s own identifiers');
    const states = (type: string) => decoded.filter((d) => d.summary.startsWith(`${type} `)).map((d) => d.summary.split(' ')[2]);
    assert.deepEqual(states('EXPERIMENT'), ['CREATED', 'LAUNCHED', 'EXECUTING', 'SCHEDULED', 'EXECUTING', 'COMPLETED']);
    assert.deepEqual(states('JOB'), ['SUBMITTED', 'QUEUED', 'ACTIVE', 'COMPLETE']);
    const proc = states('PROCESS');
    assert.deepEqual(proc, ['CREATED', 'PRE_PROCESSING', 'CONFIGURING_WORKSPACE', 'INPUT_DATA_STAGING', 'EXECUTING', 'QUEUED', 'MONITORING', 'OUTPUT_DATA_STAGING', 'POST_PROCESSING', 'COMPLETED']);
    assert.ok(decoded.some((d) => d.summary.startsWith('JOB ') && d.routingKey.endsWith(`.${processId}.${d.routingKey.split('.')[3]}.${jobId}`)));
    assert.equal(new Set(decoded.map((d) => d.messageId)).size, decoded.length, 'every message has its own id');
    const orch = (await drainQueue(orchestrator, (got) => got.filter(mine).length >= proc.length, 30000)).filter(mine);
    assert.deepEqual(orch.map((m) => decodeAiravata(m.body).summary.split(' ')[0]), proc.map(() => 'PROCESS'));
  }

  it('serial: one plain task, no mpirun, COMPLETED with its output', async () => {
    const e = experiment('echo', { cpus: 1, nodes: 1 }, [
      new InputDataObjectType({ name: 'words', value: 'hello $(whoami) ; ls', type: DataType.STRING, inputOrder: 1, requiredToAddedToCommandLine: true }),
    ], [new OutputDataObjectType({ name: 'console', type: DataType.STDOUT })]);
    const ids = await h.client.client.launchExperiment(TOKEN, e);
    assert.equal(await ended(ids.processId), 'COMPLETED');
    assert.equal(readFileSync(join(dataRoot, 'e2e-gw', e.experimentId!, 'stdout'), 'utf8'), 'hello $(whoami) ; ls\n');
  });

  it('terminate: a running experiment ends CANCELED, its tasks killed', async () => {
    const e = experiment('sleep', { cpus: 1, nodes: 1 }, [
      new InputDataObjectType({ name: 'seconds', value: '120', type: DataType.INTEGER, inputOrder: 1, requiredToAddedToCommandLine: true }),
    ], []);
    const ids = await h.client.client.launchExperiment(TOKEN, e);
    await eventually('the job to run', async () => (await processState(ids.processId)) === 'MONITORING' || undefined, 60000);
    await h.client.client.terminateExperiment(TOKEN, e.experimentId!, 'e2e-gw');
    assert.equal(await ended(ids.processId), 'CANCELED');
    assert.deepEqual((await history(e.experimentId!, 'experiment')).slice(-2), ['CANCELING', 'CANCELED']);
    const [task] = await h.ds.query('SELECT state FROM tasks WHERE job_id = $1', [ids.jobId]);
    assert.equal(task.state, 'TASK_KILLED');
  });

  it('runtime: agents have no node; every task fetched msched-task as a URI, once per agent, later tasks from the fetcher cache', async () => {
    const e = experiment('env', { cpus: 1, nodes: 1 }, [], [new OutputDataObjectType({ name: 'console', type: DataType.STDOUT })]);
    const ids = await h.client.client.launchExperiment(TOKEN, e);
    assert.equal(await ended(ids.processId), 'COMPLETED');
    // What a task sees: a PATH on which no node can be found, and no checkout's node_modules.
    const env = readFileSync(join(dataRoot, 'e2e-gw', e.experimentId!, 'stdout'), 'utf8');
    const path = /^PATH=(.*)$/m.exec(env)?.[1] ?? '';
    assert.ok(path, env);
    for (const dir of path.split(':')) assert.equal(existsSync(join(dir, 'node')), false, `node found in ${dir} on the task's PATH`);
    assert.doesNotMatch(env, /^(NODE_PATH|NODE_OPTIONS|npm_node_execpath|INIT_CWD)=/m);
    // Nor a way back into the checkout (npm run put its node_modules/.bin on the agents' PATH).
    const checkout = resolve(__dirname, '../../..');
    for (const dir of path.split(':')) {
      assert.ok(!`${resolve(dir)}${sep}`.startsWith(`${checkout}${sep}`), `the task's PATH has ${dir}, in the checkout`);
      for (const name of readdirSync(dir)) {
        const target = realpathSync(join(dir, name));
        assert.ok(!target.startsWith(`${checkout}${sep}`), `${name} on the task's PATH leads into the checkout: ${target}`);
      }
    }
    const intoCheckout = env.split('\n').filter((line) => line.includes(`=${checkout}${sep}`) || line.endsWith(`=${checkout}`));
    assert.deepEqual(intoCheckout, [], 'no variable of the task names a path in the checkout');

    // Every task of this suite fetched the runtime (it runs nothing else): each agent downloaded it
    // at most once, the rest came from its cache; 7+ tasks on 3 agents make hits certain.
    const [{ n }] = await h.ds.query('SELECT count(*)::int AS n FROM tasks');
    const counters = h.cluster.agents.map((a) => a.fetcher);
    for (const c of counters) {
      assert.ok(c.misses <= 1, `an agent downloaded the runtime ${c.misses} times: ${JSON.stringify(counters)}`);
      assert.equal(c.failures + c.bypassed, 0, JSON.stringify(counters));
    }
    const fetched = counters.reduce((sum, c) => sum + c.hits + c.misses, 0);
    assert.equal(fetched, n, `one runtime fetch per task: ${JSON.stringify(counters)}`);
    assert.ok(counters.reduce((sum, c) => sum + c.hits, 0) >= n - 3, JSON.stringify(counters));
  });
});
