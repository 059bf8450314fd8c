import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DataType, exampleWorkflowExperiment, ExperimentModel, InputDataObjectType, OutputDataObjectType, workflowExperiment,
} from '@msched/airavata-thrift';
import { startDispatcher, DispatcherHandle } from '@msched/dispatcher';
import { parseCatalogue, startProvisioner, ProvisionerHandle } from '@msched/provisioner';
import { TOKEN, testLogger } from '../helpers/pipeline';
import { eventually } from '../helpers/eventually';
import { requireStack } from '../helpers/stack';
import { compileDemoPi, startWholePipeline, WholePipeline } from '../helpers/whole-pipeline';

const REPO = join(__dirname, '../../..');

/** A small executable script in `dir` (the applications of these workflows). */
function script(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\nset -e\n${body}\n`, { mode: 0o755 });
  return path;
}

/**
 * WORKFLOW experiments on the real stack: launched over Thrift with a client generated from our
 * IDL, each application a gang through the provisioner and the dispatcher on the local Mesos
 * cluster, outputs flowing into the next application's sandbox.
 */
describe('end to end: workflow experiments (real stack)', function () {
  this.timeout(300000);
  let h: WholePipeline;
  let applications: Record<string, unknown>;
  let prov: ProvisionerHandle | undefined;
  let disp: DispatcherHandle | undefined;

  before(async () => {
    await requireStack('postgres', 'kafka', 'zookeeper');
    h = await startWholePipeline('e2ewf', {
      cluster: { agents: 3, cpus: 2, mem: 2048 },
      applications: (dir) => {
        const pi = compileDemoPi(dir, 'openmpi');
        applications = {
          // pre-processing: writes the "mesh" the solve reads.
          prep: { executable: script(dir, 'prep.sh', 'echo "mesh-of-size-$1" > mesh.txt'), mpi: 'none', memMbPerRank: 32 },
          // the solve: 4 MPI ranks; its label argument is the mesh's content, rank 0 writes result.txt.
          solver: { executable: script(dir, 'solve.sh', `exec ${pi} 200000 "$(cat "$1")"`), mpi: 'openmpi', memMbPerRank: 64 },
          // post-processing: reads the solve's result.
          post: { executable: script(dir, 'post.sh', 'echo "post-processed: $(cat "$1")"'), mpi: 'none', memMbPerRank: 32 },
          // Steps of the diamond and of the restart test: each takes a while, then writes <step>.txt
          // holding its inputs' contents and its own name (inputs of one step need distinct file names).
          ...Object.fromEntries(['a', 'b', 'c', 'd', 'one', 'two', 'three'].map((step) => [`step-${step}`, {
            executable: script(dir, `step-${step}.sh`, `sleep 3\n{ for f in "$@"; do cat "$f"; done; echo ${step}; } > ${step}.txt`), mpi: 'none', memMbPerRank: 32,
          }])),
          sleeper: { executable: script(dir, 'sleeper.sh', 'sleep 120\necho late > late.txt'), mpi: 'none', memMbPerRank: 32 },
        };
        return applications;
      },
    });
  });

  after(async () => {
    await disp?.stop().catch(() => undefined);
    await prov?.stop().catch(() => undefined);
    await h?.stop();
  });

  const ended = (experimentId: string) => eventually(`experiment ${experimentId} to end`, async () => {
    const [r] = await h.ds.query('SELECT state FROM experiments WHERE id = $1', [experimentId]);
    return ['COMPLETED', 'FAILED', 'CANCELED'].includes(r?.state) ? (r.state as string) : undefined;
  }, 240000);

  /** Why an experiment did not complete: every failure reason its history holds. */
  async function whyNot(experimentId: string): Promise<string> {
    const rows: Array<{ entity_type: string; entity_id: string; state: string; reason: string }> = await h.ds.query(
      `SELECT entity_type, entity_id, state, reason FROM status_history WHERE experiment_id = $1 AND state IN ('FAILED', 'CANCELED', 'CANCELING') ORDER BY id`, [experimentId]);
    const tasks: Array<{ id: string; state: string; sandbox_path: string | null; working_dir: string | null }> = await h.ds.query(
      'SELECT t.id, t.state, t.sandbox_path, j.working_dir FROM tasks t JOIN jobs j ON j.id = t.job_id WHERE j.experiment_id = $1 ORDER BY t.id', [experimentId]);
    return [...rows.map((r) => `${r.entity_type} ${r.entity_id} ${r.state}: ${r.reason}`), ...tasks.map((t) => `task ${t.id} ${t.state} sandbox ${t.sandbox_path} collected into ${t.working_dir}`)].join('\n');
  }

  /** Every Mesos task the master knows for the experiment's jobs (running and completed), by job. */
  async function mesosTasksByProcess(experimentId: string): Promise<Map<string, string[]>> {
    type Framework = { tasks: Array<{ id: string }>; completed_tasks: Array<{ id: string }> };
    const state = await (await fetch(`${h.cluster.masterUrl}/master/state`)).json() as { frameworks: Framework[]; completed_frameworks?: Framework[] };
    const taskIds = [...state.frameworks, ...(state.completed_frameworks ?? [])].flatMap((f) => [...f.tasks, ...f.completed_tasks].map((t) => t.id));
    const jobs: Array<{ id: string; process_id: string }> = await h.ds.query('SELECT id, process_id FROM jobs WHERE experiment_id = $1', [experimentId]);
    const out = new Map<string, string[]>();
    for (const j of jobs) out.set(j.process_id, [...(out.get(j.process_id) ?? []), ...taskIds.filter((t) => t.startsWith(`${j.id}.`))]);
    return out;
  }

  function assertEachStepRanOnce(tasks: Map<string, string[]>, expected: Record<string, number>): void {
    for (const [processId, ids] of tasks) {
      assert.equal(new Set(ids).size, ids.length, `a Mesos task of ${processId} ran twice: ${ids}`);
      const step = processId.split('.').pop() as string;
      assert.equal(ids.length, expected[step], `${processId} ran ${ids.length} Mesos tasks: ${ids}`);
    }
    assert.deepEqual([...tasks.keys()].map((p) => p.split('.').pop()).sort(), Object.keys(expected).sort());
  }

  /**
   * The environment of a service run as its own process (to be killed with SIGKILL): this suite's
   * database, topics, ZooKeeper root, cluster and catalogue, as the in-process services have them.
   */
  function serviceEnv(): NodeJS.ProcessEnv {
    const catalogue = join(h.dir, 'apps.json');
    writeFileSync(catalogue, JSON.stringify({ applications }));
    return {
      ...process.env, MSCHED_ENV: 'test', MSCHED_DATABASE_URL: h.cfg.database.url, MSCHED_KAFKA_TOPIC_PREFIX: h.cfg.kafka.topicPrefix,
      MSCHED_ZK_ROOT: h.cfg.zookeeper.root, MSCHED_APP_CATALOGUE: catalogue, MSCHED_MESOS_MASTER: h.cluster.masterUrl,
      MSCHED_DATA_ROOT: h.dataRoot, MSCHED_STATE_DIR: h.dir, MSCHED_PROVISIONER_RUN_PUBLISHERS: 'false', MSCHED_PROVISIONER_HEALTH_PORT: '0',
      MSCHED_DISPATCHER_HEALTH_PORT: '0', MSCHED_RUNTIME_PORT: '0', MSCHED_DISPATCHER_OFFER_HOLD_SECONDS: '3',
      MSCHED_MPI_NETWORK_INTERFACES: 'lo', MSCHED_MPI_OPENMPI_BTL: 'tcp,self', MSCHED_MPI_LAUNCHER_ADDRESS: '127.0.0.1',
      // A killed dispatcher's leadership lasts as long as its ZooKeeper session.
      MSCHED_ZK_SESSION_TIMEOUT_MS: '6000',
      MSCHED_OUTBOX_POLL_INTERVAL_MS: '100', MSCHED_LOG_LEVEL: 'warn', MSCHED_KAFKA_SESSION_TIMEOUT_MS: '6000',
    };
  }

  it('three steps over Thrift: serial pre-processing, a 4-rank MPI solve on two agents, serial post-processing reading the solve\'s output; COMPLETED', async () => {
    const e = exampleWorkflowExperiment({ gatewayId: 'e2e-gw' });
    const id = e.experimentId as string;
    const r = await h.client.client.launchExperiment(TOKEN, e);
    assert.equal(r.processId, `${id}.pre`);
    assert.equal(await ended(id), 'COMPLETED', await whyNot(id));

    // In order: each application started only after its predecessor ended.
    const times: Array<{ node_id: string; launched_at: Date; ended_at: Date }> = await h.ds.query(
      `SELECT node_id, launched_at, ended_at FROM workflow_nodes WHERE experiment_id = $1 AND kind = 'APPLICATION'`, [id]);
    const t = Object.fromEntries(times.map((x) => [x.node_id, x]));
    assert.ok(t.pre.ended_at <= t.solve.launched_at && t.solve.ended_at <= t.post.launched_at, JSON.stringify(times));

    // The solve ran as a gang on two agents and read the pre-processing's mesh.
    const solveTasks: Array<{ hostname: string; ranks: number[] }> = await h.ds.query(
      `SELECT t.hostname, t.ranks FROM tasks t JOIN jobs j ON j.id = t.job_id WHERE j.process_id = $1`, [`${id}.solve`]);
    assert.equal(solveTasks.length, 2);
    assert.equal(new Set(solveTasks.map((x) => x.hostname)).size, 2);
    assert.deepEqual(solveTasks.flatMap((x) => x.ranks).sort(), [0, 1, 2, 3]);
    const appDir = (step: string) => join(h.dataRoot, 'e2e-gw', id, 'applications', step);
    assert.match(readFileSync(join(appDir('solve'), 'stdout'), 'utf8'), /label argument: "mesh-of-size-64"/);

    // The post-processing read the solve's result; the FLOW_TERMINATOR collected its report.
    const report = readFileSync(join(appDir('post'), 'stdout'), 'utf8');
    assert.match(report, /^post-processed: pi=3\.14159\d+ ranks=4 steps=200000/);
    const [end] = await h.ds.query(`SELECT state, data FROM workflow_nodes WHERE experiment_id = $1 AND node_id = 'end'`, [id]);
    assert.equal(end.state, 'COMPLETED');
    assert.deepEqual(end.data.inputs.map((i: { name: string; value: string }) => [i.name, i.value]), [['report', join(appDir('post'), 'stdout')]]);
    const [wf] = await h.ds.query('SELECT state FROM workflows WHERE experiment_id = $1', [id]);
    assert.equal(wf.state, 'COMPLETED');

    assertEachStepRanOnce(await mesosTasksByProcess(id), { pre: 1, solve: 2, post: 1 });
  });

  function steps(list: Array<[string, string[]]>, edges: Array<[string, string, string, string]>): ExperimentModel {
    return workflowExperiment({
      gatewayId: 'e2e-gw',
      steps: list.map(([stepId, ins]) => ({
        id: stepId, application: `step-${stepId}`,
        inputs: ins.map((n, i) => new InputDataObjectType({ name: n, type: DataType.URI, inputOrder: i + 1, isRequired: true, requiredToAddedToCommandLine: true })),
        outputs: [new OutputDataObjectType({ name: 'out', type: DataType.URI, value: `${stepId}.txt` })],
      })),
      edges,
    });
  }

  /** Launches the chain one → two → three and returns its id once step one's job has ended. */
  async function launchChainUntilStepOneEnded(): Promise<string> {
    const e = steps([['one', []], ['two', ['x']], ['three', ['x']]], [['one', 'out', 'two', 'x'], ['two', 'out', 'three', 'x']]);
    const id = e.experimentId as string;
    await h.client.client.launchExperiment(TOKEN, e);
    await eventually('step one\'s job to end', async () => {
      const [j] = await h.ds.query('SELECT state FROM jobs WHERE process_id = $1', [`${id}.one`]);
      return j?.state === 'COMPLETE' || undefined;
    }, 120000);
    return id;
  }

  it('a diamond runs its two middle applications at the same time', async () => {
    const e = steps([['a', []], ['b', ['x']], ['c', ['x']], ['d', ['l', 'r']]],
      [['a', 'out', 'b', 'x'], ['a', 'out', 'c', 'x'], ['b', 'out', 'd', 'l'], ['c', 'out', 'd', 'r'], ['d', 'out', 'end', 'out']]);
    const id = e.experimentId as string;
    await h.client.client.launchExperiment(TOKEN, e);
    assert.equal(await ended(id), 'COMPLETED', await whyNot(id));
    // RUNNING intervals of the middle jobs, from their job status history (ACTIVE → COMPLETE).
    const rows: Array<{ process_id: string; state: string; at: Date }> = await h.ds.query(`
      SELECT j.process_id, s.state, s.at FROM status_history s JOIN jobs j ON j.id = s.entity_id
      WHERE s.entity_type = 'job' AND j.experiment_id = $1 AND s.state IN ('ACTIVE', 'COMPLETE')`, [id]);
    const span = (step: string) => {
      const mine = rows.filter((x) => x.process_id === `${id}.${step}`);
      return { from: mine.find((x) => x.state === 'ACTIVE')!.at.getTime(), to: mine.find((x) => x.state === 'COMPLETE')!.at.getTime() };
    };
    const b = span('b');
    const c = span('c');
    assert.ok(Math.max(b.from, c.from) < Math.min(b.to, c.to), `b ${JSON.stringify(b)} and c ${JSON.stringify(c)} did not overlap`);
    assert.equal(readFileSync(join(h.dataRoot, 'e2e-gw', id, 'applications', 'd', 'd.txt'), 'utf8'), 'a\nb\na\nc\nd\n');
    assertEachStepRanOnce(await mesosTasksByProcess(id), { a: 1, b: 1, c: 1, d: 1 });
  });

  it('the provisioner and the dispatcher stopped between two steps: the workflow resumes after their restart, no step runs twice', async () => {
    // Stop both workers the moment step one's job has ended: its outputs are not collected yet and
    // step two is not started; both happen only after the restart.
    const id = await launchChainUntilStepOneEnded();
    await Promise.all([h.prov.stop(), h.disp.stop()]);
    const [mid] = await h.ds.query(`SELECT state FROM workflow_nodes WHERE experiment_id = $1 AND node_id = 'two'`, [id]);
    await new Promise((r) => setTimeout(r, 2000));
    prov = await startProvisioner(h.cfg, { logger: testLogger('provisioner-2'), catalogue: parseCatalogue({ applications }) });
    disp = await startDispatcher(h.cfg, { logger: testLogger('dispatcher-2') });
    assert.equal(await ended(id), 'COMPLETED', `step two was ${mid?.state} at the stop; ${await whyNot(id)}`);
    assert.equal(readFileSync(join(h.dataRoot, 'e2e-gw', id, 'applications', 'three', 'three.txt'), 'utf8'), 'one\ntwo\nthree\n');
    assertEachStepRanOnce(await mesosTasksByProcess(id), { one: 1, two: 1, three: 1 });
  });

  it('terminateExperiment in the middle of a workflow kills the running application and skips the rest; CANCELED', async () => {
    const e = workflowExperiment({
      gatewayId: 'e2e-gw',
      steps: [
        { id: 'slow', application: 'sleeper', outputs: [new OutputDataObjectType({ name: 'out', type: DataType.URI, value: 'late.txt' })] },
        { id: 'next', application: 'step-two', inputs: [new InputDataObjectType({ name: 'x', type: DataType.URI, inputOrder: 1, requiredToAddedToCommandLine: true })] },
      ],
      edges: [['slow', 'out', 'next', 'x']],
    });
    const id = e.experimentId as string;
    await h.client.client.launchExperiment(TOKEN, e);
    await eventually('the slow application to run', async () => {
      const [j] = await h.ds.query('SELECT state FROM jobs WHERE process_id = $1', [`${id}.slow`]);
      return j?.state === 'ACTIVE' || undefined;
    }, 120000);
    await h.client.client.terminateExperiment(TOKEN, id, 'e2e-gw');
    assert.equal(await ended(id), 'CANCELED');
    const nodes: Array<{ node_id: string; state: string }> = await h.ds.query(`SELECT node_id, state FROM workflow_nodes WHERE experiment_id = $1 AND kind = 'APPLICATION' ORDER BY node_id`, [id]);
    assert.deepEqual(nodes.map((n) => `${n.node_id}=${n.state}`), ['next=CANCELED', 'slow=CANCELED']);
    const [task] = await h.ds.query('SELECT t.state FROM tasks t JOIN jobs j ON j.id = t.job_id WHERE j.process_id = $1', [`${id}.slow`]);
    assert.equal(task.state, 'TASK_KILLED');
    assert.equal((await h.ds.query('SELECT count(*)::int AS n FROM jobs WHERE process_id = $1', [`${id}.next`]))[0].n, 0, 'the next application never got a job');
  });

  it('the provisioner killed (SIGKILL) the moment a step ended: a new one resumes the workflow, no step runs twice', async () => {
    await prov?.stop();
    prov = undefined;
    const start = (): ChildProcess => spawn(process.execPath, [join(REPO, 'services/provisioner/dist/main.js')], { env: serviceEnv(), stdio: ['ignore', 'ignore', 'inherit'] });
    let child = start();
    try {
      const id = await launchChainUntilStepOneEnded();
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const [one] = await h.ds.query(`SELECT state FROM workflow_nodes WHERE experiment_id = $1 AND node_id = 'one'`, [id]);
      child = start();
      assert.equal(await ended(id), 'COMPLETED', `step one was ${one?.state} at the kill; ${await whyNot(id)}`);
      assert.equal(readFileSync(join(h.dataRoot, 'e2e-gw', id, 'applications', 'three', 'three.txt'), 'utf8'), 'one\ntwo\nthree\n');
      assertEachStepRanOnce(await mesosTasksByProcess(id), { one: 1, two: 1, three: 1 });
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      if (child.exitCode === null) await exited;
    }
  });

  it('the dispatcher killed (SIGKILL) the moment a step ended: a new one resumes the workflow, no step runs twice', async () => {
    // One provisioner in this process, the dispatcher on its own (stop calls are harmless on stopped ones).
    await prov?.stop();
    await h.prov.stop().catch(() => undefined);
    prov = await startProvisioner(h.cfg, { logger: testLogger('provisioner-3'), catalogue: parseCatalogue({ applications }) });
    await disp?.stop();
    disp = undefined;
    await h.disp.stop().catch(() => undefined);
    const start = (): ChildProcess => spawn(process.execPath, [join(REPO, 'services/dispatcher/dist/main.js')], { env: serviceEnv(), stdio: ['ignore', 'ignore', 'inherit'] });
    let child = start();
    try {
      const id = await launchChainUntilStepOneEnded();
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const [two] = await h.ds.query(`SELECT state FROM workflow_nodes WHERE experiment_id = $1 AND node_id = 'two'`, [id]);
      child = start();
      assert.equal(await ended(id), 'COMPLETED', `step two was ${two?.state} at the kill; ${await whyNot(id)}`);
      assert.equal(readFileSync(join(h.dataRoot, 'e2e-gw', id, 'applications', 'three', 'three.txt'), 'utf8'), 'one\ntwo\nthree\n');
      assertEachStepRanOnce(await mesosTasksByProcess(id), { one: 1, two: 1, three: 1 });
      const attempts: Array<{ n: number }> = await h.ds.query('SELECT count(*)::int AS n FROM jobs WHERE experiment_id = $1', [id]);
      assert.equal(attempts[0].n, 3, 'one job per application: no attempt was added by the restart');
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      if (child.exitCode === null && child.signalCode === null) await exited;
    }
  });
});
