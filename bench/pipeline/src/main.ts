import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import {
  AuthzToken, ComputationalResourceSchedulingModel, connectMetaScheduler, DataType, ExperimentModel, ExperimentType,
  MetaSchedulerConnection, OutputDataObjectType, UserConfigurationDataModel,
} from '@msched/airavata-thrift';
import { allTopicNames, createKafka, ensureTopics } from '@msched/bus';
import { loadConfig } from '@msched/config';
import { openDatabase } from '@msched/db';
import { createLogger } from '@msched/logging';
import { startLocalCluster } from '@msched/mesos-local';
import type { DataSource } from 'typeorm';
import { runBaseline } from './baseline';
import { hopRows, Launch } from './hops';
import { freePort, portOpen, type RunningService as Service, startService, stopServices, waitFor } from '@msched/devstack';
import { cpuSeconds } from './services';
import { renderTable, Row, summary } from './stats';

/**
 * bench:pipeline — where the time between a Thrift launch and RUNNING goes.
 *
 *   npm run bench:pipeline -- [--launches 10] [--rate 5] [--seconds 6] [--idle 20] [--compare-chain] [--keep]
 *
 * --compare-chain runs the serial phase again with MSCHED_STAGE_CHAIN=false (one Kafka hop per stage).
 *
 * Starts a local cluster (2 agents) and the API, provisioner and dispatcher as child processes on
 * the shared PostgreSQL/Kafka/ZooKeeper with their own database, topic prefix and ZooKeeper root.
 * Measures first a bare Mesos framework starting /bin/true on that cluster (the baseline), then
 * launches serial and 2-rank MPI experiments of a program that exits at once, one at a time, then
 * serial ones at a fixed open-loop rate, and prints per-hop p50/p99 from the timestamps the system
 * records anyway (outbox, stage_runs, jobs, tasks, status_history). Finally the idle CPU of each
 * service. Figures on a shared machine are noisy: read the ratios to the same-run baseline.
 * BENCH_DUMP=1 also prints every recorded row of the first launch of each phase.
 */
const REPO = resolve(__dirname, '../../..');
const { values: args } = parseArgs({ options: {
  launches: { type: 'string', default: '10' }, rate: { type: 'string', default: '5' }, seconds: { type: 'string', default: '6' },
  idle: { type: 'string', default: '20' }, keep: { type: 'boolean', default: false },
  'compare-chain': { type: 'boolean', default: false },
} });
const LAUNCHES = Number(args.launches);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const IDLE_SECONDS = Number(args.idle);
const token = new AuthzToken({ accessToken: 'bench' });
const out = (s = ''): boolean => process.stdout.write(`${s}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function experiment(app: 'noop' | 'mpi-noop', ranks: number): ExperimentModel {
  const experimentId = `Bench_${app}_${randomUUID()}`;
  return new ExperimentModel({
    experimentId, projectId: 'bench', gatewayId: 'bench-gw', experimentType: ExperimentType.SINGLE_APPLICATION,
    userName: 'bench', experimentName: `bench ${app}`, executionId: app,
    userConfigurationData: new UserConfigurationDataModel({
      airavataAutoSchedule: false, overrideManualScheduledParams: false,
      computationalResourceScheduling: new ComputationalResourceSchedulingModel({
        resourceHostId: 'mesos-local', totalCPUCount: ranks, nodeCount: ranks, numberOfThreads: 1, queueName: 'normal', wallTimeLimit: 5, totalPhysicalMemory: 64 * ranks,
      }),
    }),
    experimentInputs: [],
    experimentOutputs: [new OutputDataObjectType({ name: 'console', type: DataType.STDOUT })],
  });
}

/** Waits until every process has ended (any final state). */
async function allEnded(ds: DataSource, processIds: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM processes WHERE id = ANY($1) AND state IN ('COMPLETED','FAILED','CANCELED')`, [processIds]);
    if (n === processIds.length) return;
    if (Date.now() > deadline) throw new Error(`${processIds.length - n} of ${processIds.length} processes had not ended after ${timeoutMs / 1000} s`);
    await sleep(20);
  }
}

async function launchOne(conn: MetaSchedulerConnection, e: ExperimentModel): Promise<Launch> {
  const sentAt = Date.now();
  const ids = await conn.client.launchExperiment(token, e);
  return { experimentId: e.experimentId as string, processId: ids.processId as string, sentAt, ackAt: Date.now() };
}

async function main(): Promise<void> {
  const run = `bench_${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'msched-bench-pipeline-'));
  const base = loadConfig(process.env);
  const adminUrl = base.database.url.replace(/\/[^/?]*(\?|$)/, '/postgres$1');
  const dbUrl = adminUrl.replace(/\/postgres(\?|$)/, `/msched_${run}$1`);
  const logger = createLogger({ service: 'bench-pipeline', silent: true });

  const program = join(dir, 'mpi_noop');
  execFileSync('mpicc.openmpi', ['-O1', '-o', program, join(REPO, 'bench/pipeline/programs/mpi_noop.c')]);
  const catalogue = join(dir, 'apps.json');
  writeFileSync(catalogue, JSON.stringify({ applications: {
    noop: { executable: '/bin/true', mpi: 'none', memMbPerRank: 32 },
    'mpi-noop': { executable: program, mpi: 'openmpi', memMbPerRank: 64 },
  } }));

  const cluster = await startLocalCluster({ port: 0, agents: 2, cpus: 4, mem: 4096, workDir: join(dir, 'cluster'), tasksWithoutNode: true, logger: createLogger({ service: 'mesos-local', silent: true }) });
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env, MSCHED_ENV: 'development', MSCHED_DATABASE_URL: dbUrl, MSCHED_KAFKA_TOPIC_PREFIX: `msched.${run}.`, MSCHED_ZK_ROOT: `/msched-bench/${run}`,
    MSCHED_LOG_LEVEL: 'warn', MSCHED_API_AUTH_MODE: 'none', MSCHED_API_PORT: String(port), MSCHED_API_HEALTH_PORT: '0',
    MSCHED_PROVISIONER_HEALTH_PORT: '0', MSCHED_DISPATCHER_HEALTH_PORT: '0', MSCHED_PROVISIONER_RUN_PUBLISHERS: 'false',
    MSCHED_MESOS_MASTER: cluster.masterUrl, MSCHED_APP_CATALOGUE: catalogue, MSCHED_STATE_DIR: dir, MSCHED_DATA_ROOT: join(dir, 'data'),
    MSCHED_MPI_NETWORK_INTERFACES: 'lo', MSCHED_MPI_OPENMPI_BTL: 'tcp,self', MSCHED_MPI_LAUNCHER_ADDRESS: '127.0.0.1',
  };
  const cfg = loadConfig(env);
  const kafka = createKafka(cfg.kafka);
  const kadmin = kafka.admin();
  const services: Service[] = [];
  const conns: MetaSchedulerConnection[] = [];
  let ds: DataSource | undefined;
  try {
    out(`bench:pipeline: ${LAUNCHES} launches per sequential phase, open loop ${RATE}/s for ${SECONDS} s; ${cpus().length} cpus, shared machine: compare with the same-run baseline`);
    const baseline = await runBaseline(cluster.masterUrl, logger, LAUNCHES);

    await admin.query(`CREATE DATABASE "msched_${run}"`);
    ds = await openDatabase(cfg.database, { migrate: true, applicationName: 'msched-bench' });
    await kadmin.connect();
    await ensureTopics(kadmin, allTopicNames(cfg.kafka.topicPrefix), cfg.kafka);
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    services.push(startService(REPO, 'api', 'services/api/dist/main.js', env, logs));
    services.push(startService(REPO, 'provisioner', 'services/provisioner/dist/main.js', env, logs));
    services.push(startService(REPO, 'dispatcher', 'services/dispatcher/dist/main.js', env, logs));
    await waitFor('the API to listen', () => portOpen(port), services, 60_000, 50);
    const db = ds;
    await waitFor('the dispatcher to subscribe', async () => (await db.query('SELECT 1 FROM framework')).length > 0, services, 60_000, 50);
    const conn = await connectMetaScheduler({ host: '127.0.0.1', port });
    conns.push(conn);

    // Warm-up: the first launch pays for connections, consumer joins and JIT; it is not counted.
    const warm = await launchOne(conn, experiment('noop', 1));
    await allEnded(ds, [warm.processId], 120_000);

    const serial: Launch[] = [];
    for (let i = 0; i < LAUNCHES; i++) {
      const l = await launchOne(conn, experiment('noop', 1));
      await allEnded(ds, [l.processId], 120_000);
      serial.push(l);
    }
    const mpi: Launch[] = [];
    for (let i = 0; i < LAUNCHES; i++) {
      const l = await launchOne(conn, experiment('mpi-noop', 2));
      await allEnded(ds, [l.processId], 120_000);
      mpi.push(l);
    }
    // Open loop: launches at a fixed rate whatever the pipeline does (a few connections, as several gateways).
    for (let i = 0; i < 3; i++) conns.push(await connectMetaScheduler({ host: '127.0.0.1', port }));
    const open: Promise<Launch>[] = [];
    const t0 = Date.now();
    for (let i = 0; i < RATE * SECONDS; i++) {
      const due = t0 + (i * 1000) / RATE;
      if (due > Date.now()) await sleep(due - Date.now());
      open.push(launchOne(conns[1 + (i % 3)], experiment('noop', 1)));
    }
    const openLaunches = await Promise.all(open);
    await allEnded(ds, openLaunches.map((l) => l.processId), 300_000);
    const openSpan = (Math.max(...openLaunches.map((l) => l.sentAt)) - t0) / 1000;

    const ratio = (a: number[], b: number[]): string => (summary(a).p50 / summary(b).p50).toFixed(1);
    const phases: Array<[string, Launch[], number[], number[]]> = [
      ['serial, one at a time', serial, baseline.running, baseline.finished],
      ['2-rank MPI on 2 agents, one at a time', mpi, baseline.gangRunning, baseline.gangFinished],
      [`serial, open loop ${RATE}/s (${openLaunches.length} launches over ${openSpan.toFixed(1)} s)`, openLaunches, baseline.running, baseline.finished],
    ];
    if (openLaunches.length === 0) phases.pop();
    for (const [title, launches, bRun, bFin] of phases) {
      const rows: Row[] = await hopRows(ds, launches);
      const e2eRun = rows.find((r) => r.name.startsWith('launch → RUNNING'))?.samples ?? [];
      const e2eEnd = rows.find((r) => r.name.startsWith('launch → COMPLETED'))?.samples ?? [];
      rows.push({ name: 'baseline: bare framework ACCEPT → RUNNING', samples: bRun }, { name: 'baseline: bare framework ACCEPT → FINISHED', samples: bFin });
      out();
      out(renderTable(title, rows));
      out(`  launch→RUNNING p50 / baseline p50: ${ratio(e2eRun, bRun)}x; pipeline overhead at p50: ${(summary(e2eRun).p50 - summary(bRun).p50).toFixed(0)} ms`);
      out(`  launch→COMPLETED p50 / baseline ACCEPT→FINISHED p50: ${ratio(e2eEnd, bFin)}x`);
    }

    if (args['compare-chain']) {
      // The same serial phase with every provisioner stage in a Kafka hop of its own (MSCHED_STAGE_CHAIN=false).
      const i = services.findIndex((x) => x.name === 'provisioner');
      await stopServices([services[i]]);
      services[i] = startService(REPO, 'provisioner', 'services/provisioner/dist/main.js', { ...env, MSCHED_STAGE_CHAIN: 'false' }, logs);
      const again = await launchOne(conn, experiment('noop', 1));
      await allEnded(ds, [again.processId], 120_000);
      const unchained: Launch[] = [];
      for (let n = 0; n < LAUNCHES; n++) {
        const l = await launchOne(conn, experiment('noop', 1));
        await allEnded(ds, [l.processId], 120_000);
        unchained.push(l);
      }
      const rows: Row[] = await hopRows(ds, unchained);
      const e2eRun = rows.find((r) => r.name.startsWith('launch → RUNNING'))?.samples ?? [];
      const chained = (await hopRows(ds, serial)).find((r) => r.name.startsWith('launch → RUNNING'))?.samples ?? [];
      rows.push({ name: 'baseline: bare framework ACCEPT → RUNNING', samples: baseline.running });
      out();
      out(renderTable('serial, one at a time, each stage in its own Kafka hop (MSCHED_STAGE_CHAIN=false)', rows));
      out(`  launch→RUNNING p50 / baseline p50: ${ratio(e2eRun, baseline.running)}x; pipeline overhead at p50: ${(summary(e2eRun).p50 - summary(baseline.running).p50).toFixed(0)} ms`);
      out(`  launch→RUNNING p50, stages chained / each in its own hop: ${(summary(chained).p50 / summary(e2eRun).p50).toFixed(2)}`);
    }

    // Idle cost: CPU of each service over a quiet interval, nothing to do.
    await sleep(2000);
    const before = services.map((s) => cpuSeconds(s.child.pid as number));
    const idleStart = Date.now();
    await sleep(IDLE_SECONDS * 1000);
    const wall = (Date.now() - idleStart) / 1000;
    out();
    out(`idle CPU over ${wall.toFixed(0)} s (share of one core): ${services.map((s, i) => `${s.name} ${((100 * (cpuSeconds(s.child.pid as number) - before[i])) / wall).toFixed(2)} %`).join(', ')}`);
  } finally {
    await Promise.all(conns.map((c) => c.close().catch(() => undefined)));
    await stopServices(services);
    await ds?.destroy();
    await cluster.stop().catch(() => undefined);
    if (!args.keep) {
      await kadmin.deleteTopics({ topics: allTopicNames(cfg.kafka.topicPrefix).filter((t) => t.startsWith(cfg.kafka.topicPrefix)) }).catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS "msched_${run}" WITH (FORCE)`).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    } else out(`kept: database msched_${run}, topics msched.${run}.*, logs in ${dir}/logs`);
    await kadmin.disconnect().catch(() => undefined);
    await admin.end();
  }
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
