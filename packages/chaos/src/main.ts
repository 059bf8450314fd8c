#!/usr/bin/env node
/**
 * `npm run chaos`: the whole system with replicas on an isolated stack of its own, a launch
 * workload over Thrift, a seeded fault schedule, then a checker that reads every history back and
 * trusts no service's summary. Exits non-zero on any violation; the run folder keeps histories,
 * logs and the seed to replay it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import amqp from 'amqplib';
import { Client } from 'pg';
import { CHAOS_USAGE, ChaosArgs, parseChaosArgs } from './args';
import { checkRun } from './checker';
import { injectFault } from './faults';
import {
  decodeAiravataHeaders, decodeEvent, drainRabbit, readJobDb, readLeaderKillPlacements, readMasterTasks, readTopic, scanRendezvous, scanSandboxes,
  scanTaskProcesses,
} from './gather';
import type { ChannelMessage, FaultRecord, MasterTask, ProcessSighting, RunHistories } from './histories';
import { runFuzzer } from './fuzz';
import { ManagedProcess, sleep, until } from './proc';
import { seededRng } from './rng';
import { FAULT_KINDS, faultSchedule } from './schedule';
import { leadingDispatcher, ready, startServices, ServiceReplica } from './services';
import { IsolatedStack, startIsolatedStack } from './stack';
import { renderTable } from './table';
import { GATEWAY, runWorkload } from './workload';

const REPO = resolve(__dirname, '../../..');
const AMQP_URL = process.env.MSCHED_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
/**
 * The agents' sandbox garbage-collection delay (Mesos' --gc_delay, a week by default). Outputs are
 * collected from the sandboxes after the job ended, so this must outlast the pipeline's delays
 * under faults: with 5 s, a Kafka outage of 7 s and a provisioner restart let the agents remove a
 * COMPLETED gang's sandboxes before its outputs were collected (seed 7, missing outputs).
 */
const SANDBOX_GC_MS = 60_000;

export async function runChaos(args: ChaosArgs, extraDispatcherEnv: NodeJS.ProcessEnv = {}): Promise<{ violations: number; dir: string }> {
  const runId = `${args.seed}-${new Date().toISOString().replace(/[:.]/g, '').slice(0, 15)}-${process.pid}`;
  const dir = resolve(args.out ?? join(REPO, '.state', 'chaos', runId));
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const say = (s: string) => { const line = `[chaos ${new Date().toISOString().slice(11, 19)}] ${s}`; console.log(line); };
  const kinds = args.faults.length === FAULT_KINDS.length ? 'all' : args.faults.join(',') || 'none';
  say(`seed ${args.seed}, duration ${args.durationMs / 1000} s, ${args.rate} faults/min of ${kinds}, ${args.launchRate} launches/min; folder ${dir}`);
  say(`replay: npm run chaos -- --seed ${args.seed} --duration ${args.durationMs / 1000}s --rate ${args.rate} --faults ${kinds} --launch-rate ${args.launchRate}${args.gangSeconds.min !== 3 || args.gangSeconds.max !== 20 ? ` --gang-seconds ${args.gangSeconds.min}-${args.gangSeconds.max}` : ''}${args.agentCpus !== 2 ? ` --agent-cpus ${args.agentCpus}` : ''}`);
  const schedule = faultSchedule({ seed: args.seed, durationMs: args.durationMs, rate: args.rate, kinds: args.faults, agents: 4 });
  writeFileSync(join(dir, 'schedule.json'), JSON.stringify(schedule, null, 1));

  // The programs the workload runs.
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  execFileSync('mpicc.openmpi', ['-O1', '-o', join(bin, 'gang'), join(REPO, 'packages/chaos/programs/gang_sleep.c')]);
  execFileSync('cc', ['-O1', '-o', join(bin, 'serial'), join(REPO, 'test/fixtures/mpi/serial.c')]);
  const catalogue = join(dir, 'apps.json');
  writeFileSync(catalogue, JSON.stringify({ applications: {
    gang: { executable: join(bin, 'gang'), mpi: 'openmpi', memMbPerRank: 64 },
    serial: { executable: join(bin, 'serial'), mpi: 'none', memMbPerRank: 32 },
  } }, null, 1));

  const prefix = `chaos.`;
  const zkRoot = '/msched-chaos';
  const dataRoot = join(dir, 'data');
  let stack: IsolatedStack | undefined;
  let replicas: ServiceReplica[] = [];
  const exchange = `chaos_${runId.replace(/[^A-Za-z0-9]/g, '_')}_status`;
  const queue = `${exchange}.all`;
  let rabbit = false;
  const stopSamplers: (() => void)[] = [];
  try {
    say('starting the isolated stack: ZooKeeper, Kafka, PostgreSQL, 2 Mesos masters, 4 agents');
    stack = await startIsolatedStack({ repo: REPO, dir, agents: 4, agentCpus: args.agentCpus, agentMemMb: 2048, sandboxGcDelayMs: SANDBOX_GC_MS, topicPrefix: prefix, partitions: 4 });
    const s = stack;
    say(`stack up: ZooKeeper ${s.zkPort}, Kafka ${s.kafkaPort}, PostgreSQL ${s.pgPort}, masters ${s.masterPorts.join('/')}`);

    try {
      const conn = await amqp.connect(AMQP_URL);
      const ch = await conn.createChannel();
      await ch.assertExchange(exchange, 'topic', { durable: true, autoDelete: false });
      await ch.assertQueue(queue, { durable: true });
      await ch.bindQueue(queue, exchange, '#');
      await ch.close();
      await conn.close();
      rabbit = true;
    } catch (e) {
      say(`RabbitMQ at ${AMQP_URL} not usable (${(e as Error).message}): its channel is not checked`);
    }

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      MSCHED_ENV: 'test', MSCHED_LOG_FORMAT: 'json', MSCHED_LOG_LEVEL: 'info', MSCHED_STATE_DIR: dir,
      MSCHED_DATABASE_URL: s.databaseUrl, MSCHED_DATABASE_POOL_SIZE: '8',
      MSCHED_KAFKA_BROKERS: `127.0.0.1:${s.kafkaPort}`, MSCHED_KAFKA_TOPIC_PREFIX: prefix, MSCHED_KAFKA_SESSION_TIMEOUT_MS: '10000',
      MSCHED_ZK_CONNECT: `127.0.0.1:${s.zkPort}`, MSCHED_ZK_ROOT: zkRoot, MSCHED_MESOS_MASTER: s.mesosZk,
      MSCHED_APP_CATALOGUE: catalogue, MSCHED_DATA_ROOT: dataRoot, MSCHED_API_HOST: '127.0.0.1',
      // No Keycloak here: the workload is a trusted peer (MSCHED_ENV=test allows it). Two dispatchers
      // on one host each serve the task runtime, so on any free port.
      MSCHED_API_AUTH_MODE: 'none', MSCHED_RUNTIME_PORT: '0',
      MSCHED_MPI_NETWORK_INTERFACES: 'lo', MSCHED_MPI_OPENMPI_BTL: 'tcp,self', MSCHED_MPI_LAUNCHER_ADDRESS: '127.0.0.1',
      MSCHED_DISPATCHER_OFFER_HOLD_SECONDS: '5', MSCHED_OUTBOX_POLL_INTERVAL_MS: '500', MSCHED_STAGE_BACKOFF_MAX_MS: '10000',
      MSCHED_PUBLISHERS: rabbit ? 'airavata-kafka,airavata-amqp' : 'airavata-kafka',
      MSCHED_PUBLISHERS_AMQP_URL: rabbit ? AMQP_URL : '', MSCHED_PUBLISHERS_AMQP_EXCHANGE: exchange,
    };
    say('starting 2 API servers, 2 provisioners, 2 dispatchers');
    replicas = await startServices(REPO, join(dir, 'logs'), env, { dispatcher: extraDispatcherEnv });
    await until('a dispatcher to lead and subscribe', 120_000, async () => { const l = await leadingDispatcher(replicas); return !!l && await ready(l); }, 1000);
    say('system up; workload and faults start');

    // Independent observers during the run: task processes in /proc, task records of whichever master leads.
    const sightings = new Map<string, ProcessSighting>();
    const masterTasks = new Map<string, MasterTask>();
    let frameworkId: string | undefined;
    const masterUrls = () => s.masterPorts.map((p) => `http://127.0.0.1:${p}`);
    const procTimer = setInterval(() => { for (const p of scanTaskProcesses(s.agentWorkDir)) sightings.set(`${p.taskId}/${p.containerId}`, p); }, 2000);
    const masterTimer = setInterval(() => {
      readMasterTasks(masterUrls()).then((m) => { frameworkId ??= m.frameworkId; for (const t of m.tasks) masterTasks.set(t.taskId, t); }, () => undefined);
    }, 5000);
    // A supervisor for the Mesos masters and agents, as a deployment has (a Mesos master exits on
    // purpose when it loses its ZooKeeper session). Services are not restarted: one that exits on
    // its own is a defect, and the jobs it strands show as violations.
    const supervisor = setInterval(() => {
      s.masters.forEach((m, i) => { if (!m.alive && !m.heldDown) { say(`master${i} exited on its own: restarting it as a standby`); s.restartMaster(i); } });
      for (const a of s.agents) if (!a.alive && !a.heldDown) { say(`${a.name} exited on its own: restarting it`); a.start(); }
    }, 2000);
    stopSamplers.push(() => clearInterval(procTimer), () => clearInterval(masterTimer), () => clearInterval(supervisor));

    const faults: FaultRecord[] = [];
    let stopped = false;
    const t0 = Date.now();
    const apiPorts = () => replicas.filter((r) => r.service === 'api').map((r) => r.apiPort!);
    const workload = runWorkload({ rng: seededRng(args.seed + 1_000_003), apiPorts, durationMs: args.durationMs, launchesPerMinute: args.launchRate, gangSeconds: args.gangSeconds, stopped: () => stopped });
    const fuzz = args.fuzzCases > 0 ? runFuzzer({ port: () => apiPorts()[0], cases: args.fuzzCases, seed: args.seed, rssPid: () => replicas.find((r) => r.service === 'api' && r.index === 0)?.proc.pid }) : undefined;
    const injector = (async () => {
      for (const f of schedule) {
        const wait = t0 + f.atMs - Date.now();
        if (wait > 0) await sleep(wait);
        const r = await injectFault(f, { stack: s, replicas, frameworkId: async () => frameworkId ?? (await readMasterTasks(masterUrls())).frameworkId, log: say });
        faults.push(r);
        say(`fault ${r.kind} ${r.target}: ${r.ok ? 'ok' : 'FAILED'}${r.detail ? ` (${r.detail})` : ''}`);
      }
    })();
    const [w] = await Promise.all([workload, injector]);
    const fuzzResult = fuzz ? await fuzz : undefined;
    stopped = true;
    say(`workload done: ${w.launches.length} launch calls; settling (at most ${args.settleMs / 1000} s)`);
    writeFileSync(join(dir, 'client-history.json'), JSON.stringify(w, null, 1));
    // Every service back up (a fault may have struck at the very end).
    for (const r of replicas) if (!r.proc.alive) r.proc.start();

    // Settle: every experiment ended, nothing left unsent in the outbox, the agents' garbage collection done.
    const db = new Client({ connectionString: s.databaseUrl });
    await db.connect();
    const settleStart = Date.now();
    let open = -1;
    try {
      await until('every experiment to end and the outbox to drain', args.settleMs, async () => {
        const [r] = (await db.query(`SELECT (SELECT count(*) FROM experiments WHERE state NOT IN ('COMPLETED','FAILED','CANCELED'))::int AS open,
          (SELECT count(*) FROM outbox WHERE sent_at IS NULL)::int AS unsent`)).rows as { open: number; unsent: number }[];
        if (r.open !== open) { open = r.open; say(`  ${r.open} experiment(s) not ended yet, ${r.unsent} outbox row(s) unsent`); }
        return r.open === 0 && r.unsent === 0;
      }, 3000);
    } catch (e) {
      say(`${(e as Error).message}: checking as it stands`);
    } finally {
      await db.end();
    }
    say(`settled after ${Math.round((Date.now() - settleStart) / 1000)} s; letting channels and garbage collection finish`);
    // Past the garbage collection of the last sandboxes, so that any still on disk are orphans.
    await sleep(Math.max(SANDBOX_GC_MS + 15_000, 20_000));
    for (const stop of stopSamplers) stop();

    // The database first: everything read after it (channels, master, processes) is at least as
    // recent, so an experiment that ended in this snapshot has nothing left to come.
    say('gathering histories: job database, Kafka events, Airavata status topic, RabbitMQ, master, /proc, ZooKeeper, agents\' disks');
    const experiments = await readJobDb(s.databaseUrl, dataRoot, GATEWAY);
    for (const p of scanTaskProcesses(s.agentWorkDir)) sightings.set(`${p.taskId}/${p.containerId}`, p);
    const finalMaster = await readMasterTasks(masterUrls());
    for (const t of finalMaster.tasks) masterTasks.set(t.taskId, t);
    const brokers = [`127.0.0.1:${s.kafkaPort}`];
    const channels: Record<string, ChannelMessage[]> = {
      events: await readTopic(brokers, `${prefix}events`, decodeEvent),
      'airavata-kafka': await readTopic(brokers, `${prefix}airavata.status`, decodeAiravataHeaders),
    };
    if (rabbit) channels.rabbitmq = await drainRabbit(AMQP_URL, queue);
    const leaderKillTimes = faults.filter((f) => f.ok && f.kind === 'kill-leader-dispatcher').map((f) => ({ at: f.at, free: f.freeAtKill }));
    const taskOwners: Record<string, string> = {};
    for (const e of experiments) for (const j of e.jobs) for (const t of j.tasks) taskOwners[t.id] = e.id;
    const stillRunning = scanTaskProcesses(s.agentWorkDir);
    const histories: RunHistories = {
      launches: w.launches, cancels: w.cancels, experiments, channels, masterTasks: [...masterTasks.values()], sightings: [...sightings.values()],
      leftovers: {
        processes: stillRunning,
        sandboxes: scanSandboxes(s.agentWorkDir),
        rendezvous: await scanRendezvous(`127.0.0.1:${s.zkPort}`, zkRoot),
        heldOffers: finalMaster.offers,
      },
      faults, leaderKills: await readLeaderKillPlacements(s.databaseUrl, leaderKillTimes), taskOwners,
    };
    writeFileSync(join(dir, 'histories.json'), JSON.stringify(histories));
    const result = checkRun(histories);
    const ownExits = [...s.masters, ...s.agents, ...replicas.map((r) => r.proc)].filter((p) => p.exitsOnItsOwn > 0).map((p) => `${p.name} x${p.exitsOnItsOwn}`);
    writeFileSync(join(dir, 'violations.json'), JSON.stringify(result, null, 1));
    let table = renderTable(args.seed, faults, result);
    table += `\n\nprocesses that exited on their own: ${ownExits.join(', ') || 'none'}`;
    if (fuzzResult) table += `\n\nThrift fuzzer\n${fuzzResult.summary}`;
    writeFileSync(join(dir, 'table.txt'), `${table}\n`);
    console.log(`\n${table}\n`);
    for (const v of result.violations.slice(0, 40)) console.log(`  VIOLATION ${v.kind}${v.experimentId ? ` ${v.experimentId}` : ''}: ${v.detail}`);
    if (result.violations.length > 40) console.log(`  ... ${result.violations.length - 40} more in ${join(dir, 'violations.json')}`);
    const fuzzFailed = fuzzResult ? !fuzzResult.passed : false;
    const failed = result.violations.length + (fuzzFailed ? 1 : 0);
    console.log(failed ? `\nFAILED: ${result.violations.length} violation(s)${fuzzFailed ? ' and the fuzzer failed' : ''}. Histories and logs: ${dir} (seed ${args.seed})` : `\nPASSED (seed ${args.seed}); table in ${join(dir, 'table.txt')}`);
    return { violations: failed, dir };
  } finally {
    for (const stop of stopSamplers) stop();
    for (const r of replicas) await r.proc.stop(10_000).catch(() => undefined);
    await stack?.stopAll().catch(() => undefined);
    // Whatever is still up (a start-up that failed halfway) goes too.
    for (const p of ManagedProcess.all) p.killNow();
    // Task processes the agents left behind (found by their sandbox under this run's folder) go too.
    if (stack) for (const p of scanTaskProcesses(stack.agentWorkDir)) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
    if (rabbit) {
      await (async () => {
        const conn = await amqp.connect(AMQP_URL);
        const ch = await conn.createChannel();
        await ch.deleteQueue(queue);
        await ch.deleteExchange(exchange);
        await conn.close();
      })().catch(() => undefined);
    }
    // The servers' data is big and not evidence: histories and logs stay.
    if (stack) for (const d of ['kafka', 'postgres', 'zookeeper', 'agents']) rmSync(join(dir, d), { recursive: true, force: true });
  }
}

/** `--recheck DIR`: judges a finished run again from its histories.json (after a change of the checker). */
function recheck(dir: string): number {
  const h = JSON.parse(readFileSync(join(dir, 'histories.json'), 'utf8')) as RunHistories;
  const result = checkRun(h);
  console.log(renderTable(Number.NaN, h.faults, result).replace('seed NaN', `rechecked ${dir}`));
  for (const v of result.violations) console.log(`  VIOLATION ${v.kind}${v.experimentId ? ` ${v.experimentId}` : ''}: ${v.detail}`);
  return result.violations.length ? 1 : 0;
}

if (require.main === module && process.argv[2] === '--recheck') {
  process.exit(recheck(process.argv[3]));
} else if (require.main === module) {
  let args: ChaosArgs;
  try {
    args = parseChaosArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    console.error(CHAOS_USAGE);
    process.exit(2);
  }
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      console.error(`${sig}: killing every process this run started`);
      for (const p of ManagedProcess.all) p.killNow();
      process.exit(130);
    });
  }
  runChaos(args).then((r) => process.exit(r.violations ? 1 : 0), (e) => {
    console.error(`chaos run failed to complete: ${(e as Error).stack ?? e}`);
    process.exit(3);
  });
}
