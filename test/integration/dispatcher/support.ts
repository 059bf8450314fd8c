import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import type { Config } from '@msched/config';
import { enqueueOutbox, withTransaction } from '@msched/db';
import { createLogger } from '@msched/logging';
import { startLocalCluster, type LocalCluster, type LocalClusterOptions } from '@msched/mesos-local';
import { CANCEL_REQUESTED_TYPE, GANG_READY_TYPE, type GangReady, type GangSpec, type MpiFlavour } from '@msched/model';
import { Zk } from '@msched/zk';
import { startDispatcher, type DispatcherHandle } from '@msched/dispatcher';
import { dbUrlFor, ensureRunTopics, freshDatabase, requireStack, RUN_ID, testConfig } from '../../helpers/stack';

/**
 * What every dispatcher test needs: a run-isolated configuration (own database, topic prefix and
 * ZooKeeper root per suite, short intervals), a local cluster found through ZooKeeper exactly as a
 * real one would be, jobs seeded the way the API and the provisioner leave them, and looks at the
 * database, the master and /proc that do not go through the code under test.
 */

export const ZK = '127.0.0.1:22181';

/** Settings of one suite; `suite` names its database, topics and ZooKeeper root. */
export function suiteConfig(suite: string, extra: Record<string, string> = {}): Config {
  return testConfig(suiteEnv(suite, extra));
}

/** The environment of one suite (for dispatchers run as child processes, too). */
export function suiteEnv(suite: string, extra: Record<string, string> = {}): Record<string, string> {
  const root = `/msched-test/${RUN_ID}/${suite}`;
  return {
    MSCHED_DATABASE_URL: dbUrlFor(`msched_${RUN_ID}_${suite.replace(/\W/g, '_')}`),
    MSCHED_KAFKA_TOPIC_PREFIX: `msched.${RUN_ID}.${suite}.`,
    MSCHED_ZK_ROOT: root,
    MSCHED_ZK_SESSION_TIMEOUT_MS: '4000',
    MSCHED_MESOS_MASTER: `zk://${ZK}${root}/mesos`,
    MSCHED_MESOS_ROLE: 'mpi',
    MSCHED_API_QUEUE_ROLES: 'normal=mpi',
    // Every "agent" of the local cluster shares this machine (packages/mpi/README.md, One machine).
    MSCHED_MPI_NETWORK_INTERFACES: 'lo',
    MSCHED_MPI_OPENMPI_BTL: 'tcp,self',
    MSCHED_MPI_LAUNCHER_ADDRESS: '127.0.0.1',
    MSCHED_MPI_RENDEZVOUS_TIMEOUT_SECONDS: '20',
    MSCHED_MPI_KILL_GRACE_MS: '1000',
    MSCHED_OUTBOX_POLL_INTERVAL_MS: '200',
    MSCHED_DISPATCHER_OFFER_HOLD_SECONDS: '2',
    MSCHED_DISPATCHER_DECLINE_REFUSE_SECONDS: '1',
    MSCHED_DISPATCHER_IDLE_REFUSE_SECONDS: '1',
    MSCHED_DISPATCHER_ACCEPT_REFUSE_SECONDS: '1',
    MSCHED_DISPATCHER_KILL_RETRY_SECONDS: '3',
    MSCHED_DISPATCHER_TICK_MS: '200',
    MSCHED_DISPATCHER_POLL_INTERVAL_MS: '500',
    MSCHED_SCHEDULING_ESTIMATE_INTERVAL_MS: '500',
    MSCHED_DISPATCHER_CLUSTER_STATE_SECONDS: '2',
    MSCHED_DISPATCHER_EXPLICIT_RECONCILE_INITIAL_MS: '300',
    MSCHED_DISPATCHER_EXPLICIT_RECONCILE_MAX_SECONDS: '2',
    MSCHED_DISPATCHER_RECONNECT_INITIAL_MS: '100',
    MSCHED_DISPATCHER_RECONNECT_MAX_MS: '1000',
    MSCHED_DISPATCHER_HEARTBEAT_MISS_LIMIT: '3',
    MSCHED_DISPATCHER_CALL_TIMEOUT_MS: '5000',
    MSCHED_DISPATCHER_HEALTH_PORT: '0',
    MSCHED_RUNTIME_PORT: '0',
    MSCHED_DISPATCHER_MAX_GANG_ATTEMPTS: '3',
    ...extra,
  };
}

/** The suite's database (migrated) and topics. */
export async function prepareSuite(cfg: Config): Promise<DataSource> {
  await ensureRunTopics(cfg);
  return freshDatabase(cfg);
}

/** Small agents with fast timings, registered through ZooKeeper under the suite's root. */
export function startCluster(cfg: Config, opts: LocalClusterOptions = {}): Promise<LocalCluster> {
  return startLocalCluster({
    // Agents with nothing of ours installed: tasks fetch the runtime the dispatcher serves.
    tasksWithoutNode: true,
    agents: 2,
    cpus: 2,
    mem: 2048,
    port: 0,
    ports: 8,
    portsFrom: 33000 + Math.floor(Math.random() * 20000),
    zk: cfg.mesos.master,
    timing: { allocationIntervalMs: 50, heartbeatIntervalSeconds: 1, agentDisconnectTimeoutMs: 60_000, agentReregisterTimeoutMs: 20_000 },
    statusUpdateRetry: { baseMs: 300, maxMs: 2000 },
    defaultKillGraceMs: 500,
    logger: createLogger({ service: 'mesos-local-test', level: cfg.log.level }),
    ...opts,
  });
}

/** What a dispatcher suite runs against; set by its before hook, so there from its first test on. */
export interface DispatcherSuite {
  readonly cfg: Config;
  readonly ds: DataSource;
  readonly cluster: LocalCluster;
  readonly dispatcher: DispatcherHandle;
}

/**
 * The set-up and tear-down every dispatcher suite shares, registered as the calling describe's
 * hooks: the servers answer, a fresh database and topics, `prepare` (e.g. compiling a fixture; what
 * it returns is added to the suite's settings), a local cluster, one dispatcher leading and
 * subscribed; then all stopped and the ZooKeeper root removed.
 */
export function dispatcherSuite(name: string, cluster: LocalClusterOptions, prepare?: () => Promise<Record<string, string> | void>): DispatcherSuite {
  const s = { cfg: suiteConfig(name) } as { cfg: Config; ds: DataSource; cluster: LocalCluster; dispatcher: DispatcherHandle };
  before(async () => {
    await requireStack('postgres', 'kafka', 'zookeeper');
    s.ds = await prepareSuite(s.cfg);
    // Settings known only once prepared (a server's port); the database, topics and root stay the name's.
    const settings = await prepare?.();
    if (settings) s.cfg = suiteConfig(name, settings);
    s.cluster = await startCluster(s.cfg, cluster);
    s.dispatcher = await startDispatcher(s.cfg);
    // Leading comes first; the intake's Kafka start-up may finish after (start-dispatcher.ts).
    await eventually('the dispatcher to lead, subscribe and finish starting', async () =>
      (s.dispatcher.leader()?.isSubscribed && (await fetch(`http://127.0.0.1:${s.dispatcher.healthPort}/readyz`)).status === 200) || undefined);
  });
  after(async () => {
    await s.dispatcher?.stop();
    await s.cluster?.stop();
    await s.ds?.destroy();
    await removeZkRoot(s.cfg).catch(() => undefined);
  });
  return s;
}

export interface SeededJob {
  readonly experimentId: string;
  readonly processId: string;
  readonly jobId: string;
  readonly taskId: string;
  readonly spec: GangSpec;
}

export interface GangOptions {
  readonly ranks: number;
  readonly argv: readonly string[];
  readonly mpi?: MpiFlavour;
  readonly cpusPerRank?: number;
  readonly memMbPerRank?: number;
  readonly nodeCount?: number;
  readonly wallTimeSeconds?: number;
  readonly env?: Record<string, string>;
  /** Whose gang it is (fair share and quotas key on them); test-gw / user by default. */
  readonly gatewayId?: string;
  readonly userName?: string;
}

/**
 * A launched experiment as the API records it (experiment LAUNCHED, process and job SUBMITTED), with
 * its GangReady in the outbox as the provisioner's handoff leaves it: the dispatcher's own relay
 * publishes it to the suite's dispatch topic and its intake consumes it.
 */
export async function seedJob(ds: DataSource, g: GangOptions): Promise<SeededJob> {
  const id = randomUUID().slice(0, 8);
  const experimentId = `EXP_${id}`;
  const processId = `PROCESS_${id}`;
  const jobId = `JOB_${id}`;
  const taskId = `TASK_${id}`;
  const spec: GangSpec = {
    jobId, processId, experimentId, gatewayId: g.gatewayId ?? 'test-gw', attempt: 1,
    ranks: g.ranks, cpusPerRank: g.cpusPerRank ?? 1, memMbPerRank: g.memMbPerRank ?? 128,
    ...(g.nodeCount ? { nodeCount: g.nodeCount } : {}),
    wallTimeSeconds: g.wallTimeSeconds ?? 600, role: 'mpi',
    app: { executable: g.argv[0], args: g.argv.slice(1), env: g.env ?? {}, mpi: g.mpi ?? 'none', uris: [] },
  };
  await withTransaction(ds, async (tx) => {
    await tx.query(`INSERT INTO experiments (id, gateway_id, user_name, project_id, name, payload_hash, model, state) VALUES ($1, $2, $3, 'project', 'dispatcher test', 'h', '{}', 'LAUNCHED')`,
      [experimentId, g.gatewayId ?? 'test-gw', g.userName ?? 'user']);
    await tx.query(`INSERT INTO processes (id, experiment_id, state, resource_schedule, compute_resource_id, model) VALUES ($1, $2, 'EXECUTING', '{}', 'mesos-local', '{}')`, [processId, experimentId]);
    await tx.query(`INSERT INTO jobs (id, process_id, experiment_id, task_id, attempt, state) VALUES ($1, $2, $3, $4, 1, 'SUBMITTED')`, [jobId, processId, experimentId, taskId]);
    const msg: GangReady = { spec, taskId };
    await enqueueOutbox(tx, { topic: 'dispatch', key: experimentId, type: GANG_READY_TYPE, payload: msg });
  });
  return { experimentId, processId, jobId, taskId, spec };
}

/** A cancel request as the API's terminate writes it (topic cancel, through the outbox). */
export async function requestCancel(ds: DataSource, job: SeededJob, reason = 'terminated by the test'): Promise<void> {
  await withTransaction(ds, (tx) => enqueueOutbox(tx, {
    topic: 'cancel', key: job.experimentId, type: CANCEL_REQUESTED_TYPE,
    payload: { experimentId: job.experimentId, processId: job.processId, jobId: job.jobId, gatewayId: 'test-gw', reason },
  }));
}

import { eventually } from '../../helpers/eventually';

export { eventually };

export interface JobView {
  id: string;
  attempt: number;
  state: string;
  reason: string | null;
  exit_code: number | null;
  failed_rank: number | null;
  failure_kind: string | null;
  launched_at: Date | null;
  settled_at: Date | null;
  wait_reason: string | null;
  working_dir: string | null;
  std_out: string | null;
  framework_id: string | null;
}

export async function jobsOfProcess(ds: DataSource, processId: string): Promise<JobView[]> {
  return ds.query('SELECT * FROM jobs WHERE process_id = $1 ORDER BY attempt', [processId]);
}

export async function jobView(ds: DataSource, jobId: string): Promise<JobView> {
  const [row] = await ds.query('SELECT * FROM jobs WHERE id = $1', [jobId]);
  return row;
}

/** Resolves once the job is in `state` (and, for an end state, settled: JobEnded sent). */
export function jobReaches(ds: DataSource, jobId: string, state: string, timeoutMs = 60_000): Promise<JobView> {
  const ending = ['COMPLETE', 'FAILED', 'CANCELED'].includes(state);
  return eventually(`job ${jobId} to be ${state}`, async () => {
    const j = await jobView(ds, jobId);
    if (j && ['COMPLETE', 'FAILED', 'CANCELED'].includes(j.state) && j.state !== state && j.settled_at) {
      throw new Error(`job ${jobId} ended ${j.state} instead (${j.reason})`);
    }
    return j?.state === state && (!ending || j.settled_at) ? j : undefined;
  }, timeoutMs);
}

export interface TaskView {
  id: string;
  job_id: string;
  agent_id: string;
  hostname: string;
  ranks: number[];
  state: string;
  sandbox_path: string | null;
  launcher: boolean;
  exit_code: number | null;
}

export async function tasksOf(ds: DataSource, jobId: string): Promise<TaskView[]> {
  return ds.query('SELECT * FROM tasks WHERE job_id = $1 ORDER BY task_index', [jobId]);
}

/** The states in an entity's history, oldest first. */
export async function historyOf(ds: DataSource, entityType: string, entityId: string): Promise<string[]> {
  const rows: Array<{ state: string }> = await ds.query('SELECT state FROM status_history WHERE entity_type = $1 AND entity_id = $2 ORDER BY id', [entityType, entityId]);
  return rows.map((r) => r.state);
}

/** Payloads of an experiment's outbox messages of one topic, in outbox order. */
export async function outboxOf<T = Record<string, unknown>>(ds: DataSource, experimentId: string, topic: string): Promise<T[]> {
  const rows: Array<{ p: T }> = await ds.query(`SELECT envelope->'payload' AS p FROM outbox WHERE message_key = $1 AND topic = $2 ORDER BY seq`, [experimentId, topic]);
  return rows.map((r) => r.p);
}

/** The master's view of our framework's tasks (live and completed), read over HTTP. */
export async function masterTasks(masterUrl: string, frameworkId: string): Promise<{ live: Array<{ id: string; state: string }>; completed: Array<{ id: string; state: string }> }> {
  const res = await fetch(`${masterUrl}/master/state`);
  const state = (await res.json()) as { frameworks: Array<{ id: string; tasks: Array<{ id: string; state: string }>; completed_tasks: Array<{ id: string; state: string }>; offers: unknown[] }> };
  const fw = state.frameworks.find((f) => f.id === frameworkId);
  return { live: fw?.tasks ?? [], completed: fw?.completed_tasks ?? [] };
}

/** Offers the master has outstanding for our framework right now. */
export async function outstandingOffers(masterUrl: string, frameworkId: string): Promise<number> {
  const res = await fetch(`${masterUrl}/master/state`);
  const state = (await res.json()) as { frameworks: Array<{ id: string; offers?: unknown[] }> };
  return state.frameworks.find((f) => f.id === frameworkId)?.offers?.length ?? 0;
}

export interface ProcInfo {
  readonly pid: number;
  readonly cmdline: string;
}

/**
 * Live processes of a job, found in /proc independently of the code under test: gang tasks carry
 * MSCHED_GANG_JOB_ID, the application's processes MSCHED_JOB_ID (packages/mpi env contract).
 */
export function processesOfJob(jobId: string): ProcInfo[] {
  const needles = [`MSCHED_GANG_JOB_ID=${jobId}\0`, `MSCHED_JOB_ID=${jobId}\0`].map((s) => Buffer.from(s));
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2))) continue;
      const environ = readFileSync(`/proc/${name}/environ`);
      if (needles.some((n) => environ.includes(n))) out.push({ pid: Number(name), cmdline: readFileSync(`/proc/${name}/cmdline`).toString().split('\0').join(' ').trim() });
    } catch {
      // it exited while we looked
    }
  }
  return out;
}

/** Waits until no process of the job is left (the kill grace periods are short in tests). */
export function noProcessLeft(jobId: string, timeoutMs = 15_000): Promise<true> {
  return eventually(`no process of ${jobId} to be left (${processesOfJob(jobId).map((p) => `${p.pid} ${p.cmdline}`).join('; ')})`, () => (processesOfJob(jobId).length === 0 ? true : undefined), timeoutMs);
}

/** Removes the suite's ZooKeeper subtree (election, rendezvous, the cluster's registry). */
export async function removeZkRoot(cfg: Config): Promise<void> {
  const zk = await Zk.connect(cfg.zookeeper.connect);
  try {
    await zk.removeRecursive(cfg.zookeeper.root);
  } finally {
    zk.close();
  }
}

/** A shell-free serial "application": /bin/sh with a script as its argv (still no shell between us and Mesos). */
export function shellApp(script: string): string[] {
  return ['/bin/sh', '-c', script];
}

/** A counter or gauge from a service's /metrics (0 when the series does not exist yet). */
export async function metricValue(port: number, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/** Whether the leading master has our framework connected right now (a live subscription). */
export async function frameworkConnected(masterUrl: string, frameworkId: string): Promise<boolean> {
  const state = (await (await fetch(`${masterUrl}/master/state`)).json()) as { frameworks: Array<{ id: string; connected: boolean }> };
  return state.frameworks.some((f) => f.id === frameworkId && f.connected);
}
