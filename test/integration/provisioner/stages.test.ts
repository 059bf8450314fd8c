import assert from 'node:assert/strict';
import { spawn, ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType } from '@msched/airavata-thrift';
import { replayDeadStage } from '@msched/stage-runs';
import { eventually } from '../../helpers/eventually';
import { scriptedServer, serialExperiment, TOKEN } from '../../helpers/pipeline';
import { startWholePipeline, WholePipeline } from '../../helpers/whole-pipeline';
import { requireStack } from '../../helpers/stack';

const REPO = join(__dirname, '../../../..');

/** Runs the msched binary as an operator would. */
function msched(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, [join(REPO, 'packages/cli/dist/main.js'), ...args], { env: { ...process.env, MSCHED_LOG_LEVEL: 'warn', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => ok({ code, out, err }));
  });
}

describe('provisioning worker: stages, retries, dead letters, crash (integration)', function () {
  this.timeout(120000);
  let h: WholePipeline;
  const env = (): Record<string, string> => ({
    MSCHED_STAGE_BACKOFF_INITIAL_MS: '100', MSCHED_STAGE_BACKOFF_MAX_MS: '300', MSCHED_STAGE_RETRY_POLL_MS: '100',
    MSCHED_STAGE_MAX_ATTEMPTS: '3', MSCHED_STAGE_TIMEOUT_MS: '20000',
  });

  before(async () => {
    await requireStack('postgres', 'kafka', 'zookeeper');
    h = await startWholePipeline('prov', { cluster: { agents: 2, cpus: 2, mem: 1024 }, applications: () => ({ cat: { executable: '/bin/cat', mpi: 'none', memMbPerRank: 32 } }), env: env() });
  });
  after(() => h?.stop());

  const stageRuns = async (jobId: string) => Object.fromEntries(
    (await h.ds.query('SELECT stage, state, attempts FROM stage_runs WHERE job_id = $1', [jobId])).map((r: { stage: string; state: string; attempts: number }) => [r.stage, `${r.state}/${r.attempts}`]));
  const dispatched = async (jobId: string) => Number((await h.ds.query(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'dispatch' AND envelope->'payload'->'spec'->>'jobId' = $1`, [jobId]))[0].n);
  const processState = async (processId: string) => (await h.ds.query('SELECT state FROM processes WHERE id = $1', [processId]))[0]?.state as string;
  const processHistory = async (processId: string) => (await h.ds.query(`SELECT state FROM status_history WHERE entity_type = 'process' AND entity_id = $1 ORDER BY id`, [processId])).map((r: { state: string }) => r.state);

  /** The job ran to the end: the process COMPLETED and the program's output was collected. */
  async function completes(l: { experimentId: string; processId: string }): Promise<void> {
    await eventually('the process to complete', async () => (await processState(l.processId)) === 'COMPLETED' || undefined, 60000);
    assert.equal(readFileSync(join(h.dataRoot, 'test-gateway', l.experimentId, 'stdout'), 'utf8'), 'input data\n');
  }

  async function launch(inputUrl: string) {
    const e = serialExperiment('cat', [{ name: 'data', value: inputUrl, type: DataType.URI }]);
    const ids = await h.client.client.launchExperiment(TOKEN, e);
    return { experimentId: e.experimentId!, processId: ids.processId, jobId: ids.jobId };
  }

  it('retries a stage that fails twice, then the job completes; every other stage ran once', async () => {
    const input = await scriptedServer((n) => (n <= 2 ? 503 : 200));
    try {
      const l = await launch(input.url);
      await eventually('the gang handed to the dispatcher', async () => (await dispatched(l.jobId)) === 1 || undefined);
      assert.deepEqual(await stageRuns(l.jobId), { resolve: 'done/1', capacity: 'done/1', 'stage-inputs': 'done/3', handoff: 'done/1' });
      assert.equal(input.hits(), 3);
      const hist = await processHistory(l.processId);
      assert.deepEqual(hist.slice(hist.indexOf('PRE_PROCESSING'), hist.indexOf('PRE_PROCESSING') + 4), ['PRE_PROCESSING', 'CONFIGURING_WORKSPACE', 'INPUT_DATA_STAGING', 'EXECUTING'],
        'each stage once, in order, in the status history');
      await completes(l);
      assert.equal(await dispatched(l.jobId), 1, 'handed off exactly once');
      assert.deepEqual(await stageRuns(l.jobId), { resolve: 'done/1', capacity: 'done/1', 'stage-inputs': 'done/3', handoff: 'done/1', 'collect-outputs': 'done/1', cleanup: 'done/1' });
      assert.equal(input.hits(), 4, 'three checks by stage-inputs, then the agent\'s one fetch into the sandbox');
    } finally {
      await input.close();
    }
  });

  it('dead-letters a stage that always fails, FAILS the process with the error, and msched dlq replay completes it once fixed', async () => {
    let healthy = false;
    const input = await scriptedServer(() => (healthy ? 200 : 503));
    try {
      const l = await launch(input.url);
      await eventually('the process FAILED', async () => (await processState(l.processId)) === 'FAILED' || undefined);
      assert.deepEqual(await stageRuns(l.jobId), { resolve: 'done/1', capacity: 'done/1', 'stage-inputs': 'dead/3' });
      const [fail] = await h.ds.query(`SELECT reason FROM status_history WHERE entity_type = 'process' AND entity_id = $1 AND state = 'FAILED'`, [l.processId]);
      assert.match(fail.reason, /^stage-inputs failed after 3 attempts: input data: http:\/\/127\.0\.0\.1:\d+\/inputs\/data\.txt answered HTTP 503$/);
      const dlq = await h.ds.query(`SELECT envelope->'payload' AS p FROM outbox WHERE topic = 'deadLetter' AND message_key = $1`, [l.experimentId]);
      assert.equal(dlq.length, 1);
      assert.equal(dlq[0].p.stage, 'stage-inputs');
      assert.equal(await dispatched(l.jobId), 0);

      // The operator's path: msched dlq list shows it, msched dlq replay brings it back once fixed.
      const cliEnv = { MSCHED_DATABASE_URL: h.cfg.database.url, MSCHED_KAFKA_TOPIC_PREFIX: h.cfg.kafka.topicPrefix };
      const listed = await msched(['dlq', 'list', '--json'], cliEnv);
      assert.equal(listed.code, 0, listed.err);
      const dead = (JSON.parse(listed.out) as Array<{ id: string; jobId: string; stage: string; attempts: number; lastError: string }>).find((r) => r.jobId === l.jobId);
      assert.ok(dead, listed.out);
      assert.deepEqual([dead.stage, dead.attempts], ['stage-inputs', 3]);
      assert.match(dead.lastError, /answered HTTP 503$/);
      const table = await msched(['dlq', 'list'], cliEnv);
      assert.match(table.out, /^ID\s+STAGE\s+TRIES\s+DEAD SINCE\s+EXPERIMENT\s+JOB\s+LAST ERROR\n/);
      healthy = true;
      const replayed = await msched(['dlq', 'replay', dead.id], cliEnv);
      assert.equal(replayed.code, 0, replayed.err);
      assert.match(replayed.out, /^replaying stage-inputs of job /);
      await eventually('the replayed gang handed off', async () => (await dispatched(l.jobId)) === 1 || undefined);
      await completes(l);
      const hist = await processHistory(l.processId);
      assert.deepEqual(hist.slice(hist.indexOf('FAILED'), hist.indexOf('FAILED') + 4), ['FAILED', 'REQUEUED', 'INPUT_DATA_STAGING', 'EXECUTING']);
      assert.equal(hist[hist.length - 1], 'COMPLETED');
      await assert.rejects(replayDeadStage(h.ds, dead.id, 'test operator'), /no dead-lettered stage run with id/);
      const again = await msched(['dlq', 'replay', dead.id], cliEnv);
      assert.equal(again.code, 1);
      assert.match(again.err, /no dead-lettered stage run with id/);
    } finally {
      await input.close();
    }
  });

  it('fails at once, naming the input, when an input does not exist', async () => {
    const l = await launch('file:///nonexistent/msched-input.dat');
    await eventually('the process FAILED', async () => (await processState(l.processId)) === 'FAILED' || undefined);
    assert.deepEqual(await stageRuns(l.jobId), { resolve: 'done/1', capacity: 'done/1', 'stage-inputs': 'failed/1' });
    const [fail] = await h.ds.query(`SELECT reason FROM status_history WHERE entity_type = 'process' AND entity_id = $1 AND state = 'FAILED'`, [l.processId]);
    assert.equal(fail.reason, 'stage-inputs: input data: file:///nonexistent/msched-input.dat does not exist');
  });

  it('resumes after the provisioner process is killed mid-stage: the job completes, no effect ran twice', async () => {
    await h.prov.stop();
    const dir = mkdtempSync(join(tmpdir(), 'prov-kill-'));
    const catalogue = join(dir, 'apps.json');
    writeFileSync(catalogue, JSON.stringify({ applications: { cat: { executable: '/bin/cat', mpi: 'none', memMbPerRank: 32 } } }));
    const childEnv = {
      ...process.env, ...env(), MSCHED_ENV: 'test', MSCHED_DATABASE_URL: h.cfg.database.url, MSCHED_KAFKA_TOPIC_PREFIX: h.cfg.kafka.topicPrefix,
      MSCHED_ZK_ROOT: h.cfg.zookeeper.root, MSCHED_APP_CATALOGUE: catalogue, MSCHED_MESOS_MASTER: h.cluster.masterUrl,
      MSCHED_DATA_ROOT: h.dataRoot, MSCHED_STATE_DIR: h.dir, MSCHED_PROVISIONER_RUN_PUBLISHERS: 'false', MSCHED_PROVISIONER_HEALTH_PORT: '0',
      MSCHED_OUTBOX_POLL_INTERVAL_MS: '100', MSCHED_LOG_LEVEL: 'warn', MSCHED_KAFKA_SESSION_TIMEOUT_MS: '6000',
    };
    const start = (): ChildProcess => spawn(process.execPath, [join(REPO, 'services/provisioner/dist/main.js')], { env: childEnv, stdio: ['ignore', 'ignore', 'inherit'] });
    const input = await scriptedServer((n) => (n === 1 ? 'hang' : 200));
    let child = start();
    try {
      const l = await launch(input.url);
      await eventually('stage-inputs to be checking the input', () => input.hits() === 1 || undefined, 60000);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      assert.deepEqual(await stageRuns(l.jobId), { resolve: 'done/1', capacity: 'done/1', 'stage-inputs': 'running/1' });
      child = start();
      await eventually('the gang handed off after the restart', async () => (await dispatched(l.jobId)) === 1 || undefined, 60000);
      await completes(l);
      assert.deepEqual(await stageRuns(l.jobId), { resolve: 'done/1', capacity: 'done/1', 'stage-inputs': 'done/2', handoff: 'done/1', 'collect-outputs': 'done/1', cleanup: 'done/1' });
      assert.equal(await dispatched(l.jobId), 1, 'handed off once although stage-inputs ran twice');
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      if (child.exitCode === null) await exited;
      await input.close();
    }
  });
});
