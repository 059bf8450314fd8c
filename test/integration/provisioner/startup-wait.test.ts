import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialExperiment, startApiHarness, TOKEN, type ApiHarness } from '../../helpers/pipeline';
import { eventually } from '../../helpers/eventually';
import { requireStack } from '../../helpers/stack';
import { startThrowawayKafka, type ThrowawayKafka } from '../../helpers/throwaway-kafka';
import { freePort } from '@msched/devstack';

const REPO = join(__dirname, '../../../..');


interface Readiness { status: number; body: { status: string; checks: Record<string, string>; details?: Record<string, string> } }

async function readyz(port: number): Promise<Readiness> {
  const r = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: r.status, body: (await r.json()) as Readiness['body'] };
}

/**
 * Issue 14: a restarted provisioner exited when Kafka was down ("failed to start: Connection error:
 * connect ECONNREFUSED") and stayed down. It must wait for each server at start-up, with /readyz
 * answering 503 and saying what it waits for, and work once the server answers.
 */
describe('provisioner: start-up while Kafka is down (integration)', function () {
  this.timeout(300_000);
  let kafka: ThrowawayKafka | undefined;
  let h: ApiHarness | undefined;
  let child: ChildProcess | undefined;
  let log = '';

  before(async () => {
    await requireStack('postgres', 'zookeeper');
    kafka = await startThrowawayKafka();
    // The suite's database and its topics on the throwaway broker, then the broker goes down.
    h = await startApiHarness('provstartup', { MSCHED_KAFKA_BROKERS: kafka.brokers[0], MSCHED_OUTBOX_POLL_INTERVAL_MS: '200' });
    await kafka.stop();
  });

  after(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await h?.close();
    await kafka?.destroy();
  });

  it('stays up, says it waits for Kafka on /readyz, then becomes ready and runs stages once Kafka answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prov-startup-'));
    const catalogue = join(dir, 'apps.json');
    writeFileSync(catalogue, JSON.stringify({ applications: { echo: { executable: '/bin/echo', mpi: 'none', memMbPerRank: 32 } } }));
    const healthPort = await freePort();
    const cfg = h!.cfg;
    child = spawn(process.execPath, [join(REPO, 'services/provisioner/dist/main.js')], {
      env: {
        ...process.env, MSCHED_ENV: 'test', MSCHED_DATABASE_URL: cfg.database.url, MSCHED_KAFKA_BROKERS: kafka!.brokers[0],
        MSCHED_KAFKA_TOPIC_PREFIX: cfg.kafka.topicPrefix, MSCHED_KAFKA_SESSION_TIMEOUT_MS: '6000', MSCHED_ZK_ROOT: cfg.zookeeper.root,
        MSCHED_APP_CATALOGUE: catalogue, MSCHED_MESOS_MASTER: 'http://127.0.0.1:1', MSCHED_STATE_DIR: dir, MSCHED_DATA_ROOT: join(dir, 'data'),
        MSCHED_PROVISIONER_RUN_PUBLISHERS: 'false', MSCHED_PROVISIONER_HEALTH_PORT: String(healthPort), MSCHED_OUTBOX_POLL_INTERVAL_MS: '200',
        MSCHED_LOG_LEVEL: 'info', MSCHED_LOG_FORMAT: 'json',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => { log += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
    const alive = () => child!.exitCode === null && child!.signalCode === null;

    const waiting = await eventually('/readyz to say the provisioner waits for Kafka', async () => {
      if (!alive()) throw new Error(`the provisioner exited (${child!.exitCode}): ${log.slice(-600)}`);
      const r = await readyz(healthPort);
      return r.status === 503 && /waiting for Kafka/.test(r.body.details?.startup ?? '') ? r : undefined;
    }, 60_000).catch((e: Error) => assert.fail(e.message));
    assert.equal(waiting.body.checks.startup, 'failing');
    assert.equal(waiting.body.checks.database, 'ok');
    // It keeps trying (with backoff) rather than giving up.
    await eventually('a second try for Kafka', () => ((log.match(/waiting for Kafka/g) ?? []).length >= 2 ? true : undefined), 90_000);
    assert.ok(alive(), `the provisioner exited: ${log.slice(-600)}`);

    // Work queued meanwhile (the API takes launches with Kafka down), then Kafka comes back.
    const e = serialExperiment('echo', []);
    const ids = await h!.client.client.launchExperiment(TOKEN, e);
    await kafka!.start();
    await eventually('the provisioner to be ready', async () => ((await readyz(healthPort)).status === 200 ? true : undefined), 120_000);
    await eventually('the launch to go through its first stages', async () => {
      const rows: Array<{ stage: string; state: string }> = await h!.ds.query('SELECT stage, state FROM stage_runs WHERE job_id = $1', [ids.jobId]);
      return rows.some((r) => r.stage === 'resolve' && r.state === 'done') ? rows : undefined;
    }, 120_000);
    assert.ok(alive());
  });
});
