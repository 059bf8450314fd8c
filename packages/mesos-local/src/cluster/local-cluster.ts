import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger, Logger } from '@msched/logging';
import { LocalAgent } from '../agent/agent';
import { findFreePortBlocks, splitFreeRange } from '../agent/free-ports';
import type { UpdateRetry } from '../agent/status-update-manager';
import { LocalMaster } from '../master/local-master';
import type { MasterTiming } from '../master/master';
import { MemoryRegistry, Registry } from '../master/registry';
import { UpdateFaults } from '../master/update-faults';
import type { Range } from '../protocol/mesos-types';
import { parseZkUrl, ZkUrl } from '../protocol/zk-url';
import { MasterDetector, StaticDetector, ZkDetector } from '../zk/master-detector';
import { AgentSpec, agentSpecs, specResources } from './agent-specs';
import type { FetcherCounters } from '../agent/fetcher/fetcher-cache';
import { nodeFreeEnvironment } from './node-free-env';

export interface LocalClusterOptions {
  /** Masters authenticate HTTP frameworks against these principal → secret entries (HTTP Basic). */
  frameworkCredentials?: ReadonlyMap<string, string>;
  /** Number of agents (default 4). */
  agents?: number;
  /** Per-agent overrides, by position (hostname, cpus, mem, disk, ports, attributes, extra). */
  agentOverrides?: Array<Partial<AgentSpec> | undefined>;
  /** Resources of each agent (defaults: 4 cpus, 4096 MB mem, 10240 MB disk). */
  cpus?: number;
  mem?: number;
  disk?: number;
  /** Ports per agent: a count of free ports found from `portsFrom` up, or a range split between the agents. */
  ports?: number | Range;
  portsFrom?: number;
  /** Agent attributes in flag syntax; `%i` becomes the agent's number (`rack:r%i`). */
  attributes?: string;
  /** Master address (default 127.0.0.1) and port (default 5050; 0 picks a free one). */
  host?: string;
  port?: number;
  /** `zk://host:port/path`: masters contend and agents find the leader there. Without it one master leads alone. */
  zk?: string;
  /** Masters to run in this process (default 1; more are standbys, on free ports). Needs `zk` when > 1. */
  masters?: number;
  /** Join `zk` as standby master(s) only: no agents, and another process may lead (`--standby`). */
  standby?: boolean;
  /** Root of every agent's work dir (default: a fresh temporary directory, removed by stop()). */
  workDir?: string;
  timing?: Partial<MasterTiming>;
  statusUpdateRetry?: UpdateRetry;
  defaultKillGraceMs?: number;
  /** Sandbox GC delay of every agent (Mesos' --gc_delay); undefined keeps sandboxes. */
  sandboxGcDelayMs?: number;
  /** Forget agents of a previous run recorded in the registry (default true: a fresh cluster). */
  resetRegistry?: boolean;
  /** Fetcher cache size bound of every agent in bytes (Mesos' --fetcher_cache_size; default 2 GB). */
  fetcherCacheBytes?: number;
  /**
   * Environment every task inherits instead of this process's (e.g. withoutNode(): a PATH without
   * node, as on an agent where nothing of ours is installed).
   */
  taskEnv?: NodeJS.ProcessEnv;
  /**
   * Called after a master of this cluster lost its ZooKeeper session and was stopped. A Mesos
   * master aborts then and its supervisor starts it again; the CLI exits non-zero for that.
   */
  onMasterSessionLost?: () => void;
  /** Tasks get a PATH without node (nodeFreeEnvironment): they must fetch their runtime as a URI. */
  tasksWithoutNode?: boolean;
  logger?: Logger;
}

export interface AgentHandle {
  readonly id: string | null;
  readonly hostname: string;
  readonly workDir: string;
  readonly running: boolean;
  readonly ports: Range;
  /** The agent's fetcher cache counters. */
  readonly fetcher: Readonly<FetcherCounters>;
}

export interface LocalCluster {
  /** URL of the leading master, in this process or not (it changes after failoverMaster). */
  readonly masterUrl: string;
  /** `zk://...` when the masters use ZooKeeper. */
  readonly zkUrl?: string;
  readonly workDir: string;
  readonly agents: readonly AgentHandle[];
  readonly masters: readonly LocalMaster[];
  /** The leading master of this process, if any. */
  leader(): LocalMaster | null;
  /** Kills an agent (by id or host name) as a dying host: its processes SIGKILLed, its link cut; the master marks it unreachable (or gone). */
  killAgent(idOrHostname: string, opts?: { gone?: boolean }): Promise<void>;
  /** Stops the leading master (HTTP server and ZooKeeper session); another takes over, agents re-register, tasks keep running. */
  failoverMaster(): Promise<void>;
  /** Drops a framework's event stream (its failover timeout starts). */
  cutFrameworkStream(frameworkId: string): boolean;
  /** Delays every agent status update on its way to frameworks (0 to stop). */
  delayStatusUpdates(ms: number): void;
  /** Sends every agent status update twice (or not). */
  duplicateStatusUpdates(on: boolean): void;
  /** Rescinds outstanding offers (of one framework, or all); returns how many. */
  rescindOffers(frameworkId?: string): number;
  /** Stops masters and agents; no task process survives. */
  stop(): Promise<void>;
}

const DEFAULTS = { agents: 4, cpus: 4, mem: 4096, disk: 10240, ports: 16, portsFrom: 31000 };

/**
 * Starts a master (plus standbys) and agents in this process. Agents talk to masters only over
 * HTTP (and find them through ZooKeeper), so failoverMaster() stops just the master: agents and
 * their task processes go on and re-register with the new leader.
 */
export async function startLocalCluster(opts: LocalClusterOptions = {}): Promise<LocalCluster> {
  const logger = opts.logger ?? createLogger({ service: 'mesos-local' });
  const zk: ZkUrl | undefined = opts.zk ? parseZkUrl(opts.zk) : undefined;
  const masterCount = opts.masters ?? 1;
  if (masterCount > 1 && !zk) throw new Error('more than one master needs ZooKeeper (--zk zk://host:port/path) to elect a leader');
  const workDir = opts.workDir ? resolve(opts.workDir) : await mkdtemp(join(tmpdir(), 'msched-local-cluster-'));
  await mkdir(workDir, { recursive: true });
  if (opts.standby && !zk) throw new Error('a standby master needs ZooKeeper (--zk) to find the leader');
  const count = opts.standby ? 0 : opts.agents ?? DEFAULTS.agents;
  const portBlocks = count === 0 ? [] : typeof opts.ports === 'object'
    ? await splitFreeRange(opts.ports, count)
    : await findFreePortBlocks(count, opts.ports ?? DEFAULTS.ports, opts.portsFrom ?? DEFAULTS.portsFrom);
  const specs = agentSpecs(count, { cpus: opts.cpus ?? DEFAULTS.cpus, mem: opts.mem ?? DEFAULTS.mem, disk: opts.disk ?? DEFAULTS.disk, attributes: opts.attributes ?? '' }, portBlocks, opts.agentOverrides);

  const cluster = new Cluster(opts, logger, zk, workDir, !opts.workDir);
  try {
    await cluster.startMasters(masterCount);
    await cluster.startAgents(specs);
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  return cluster;
}

class Cluster implements LocalCluster {
  private readonly masterList: LocalMaster[] = [];
  private readonly agentList: Array<{ agent: LocalAgent; spec: AgentSpec }> = [];
  private readonly faults = new UpdateFaults();
  private readonly registry: Registry | undefined;
  private detector: MasterDetector | null = null;
  private stopped = false;
  private readonly exitHandler = () => this.agentList.forEach((a) => a.agent.killAllNow());

  constructor(
    private readonly opts: LocalClusterOptions,
    private readonly logger: Logger,
    private readonly zk: ZkUrl | undefined,
    readonly workDir: string,
    private readonly ownsWorkDir: boolean,
  ) {
    // Without ZooKeeper, successive masters of this process share one in-memory registry.
    this.registry = zk ? undefined : new MemoryRegistry();
    process.on('exit', this.exitHandler);
  }

  get zkUrl(): string | undefined {
    return this.zk ? `zk://${this.zk.servers.join(',')}${this.zk.path}` : undefined;
  }

  get masters(): readonly LocalMaster[] {
    return this.masterList;
  }

  get agents(): readonly AgentHandle[] {
    return this.agentList.map(({ agent, spec }) => ({
      get id() { return agent.agentId; },
      hostname: agent.hostname,
      workDir: agent.workDir,
      get running() { return agent.running; },
      ports: spec.ports,
      get fetcher() { return agent.fetcherCounters; },
    }));
  }

  leader(): LocalMaster | null {
    return this.masterList.find((m) => m.isLeading()) ?? null;
  }

  get masterUrl(): string {
    const local = this.leader();
    if (local) return local.url;
    const elsewhere = this.detector?.current();
    return elsewhere ? `http://${elsewhere.host}:${elsewhere.port}` : this.masterList[0].url;
  }

  private async startMaster(port: number, first: boolean): Promise<LocalMaster> {
    const m = await LocalMaster.start({
      host: this.opts.host ?? '127.0.0.1',
      port,
      zk: this.zk ? { servers: this.zk.servers, path: this.zk.path } : undefined,
      registry: this.registry,
      resetRegistry: first && (this.opts.resetRegistry ?? true),
      timing: this.opts.timing,
      faults: this.faults,
      frameworkCredentials: this.opts.frameworkCredentials,
      faultHooks: {
        killAgent: async (id, how) => {
          if (!this.findAgent(id)) return false;
          await this.killAgent(id, { gone: how === 'gone' });
          return true;
        },
        failoverMaster: () => this.failoverMaster(),
      },
      logger: this.logger,
      onLeadershipLost: () => {
        this.logger.error('a master of this cluster lost its ZooKeeper session; stopping it');
        const i = this.masterList.indexOf(m);
        if (i >= 0) this.masterList.splice(i, 1);
        void m.stop().finally(() => this.opts.onMasterSessionLost?.());
      },
    });
    this.masterList.push(m);
    return m;
  }

  async startMasters(count: number): Promise<void> {
    if (this.zk) this.detector = await ZkDetector.start(this.zk.servers, this.zk.path, this.logger);
    const standby = this.opts.standby === true;
    await this.startMaster(this.opts.port ?? 5050, !standby);
    for (let i = 1; i < count; i++) await this.startMaster(0, false);
    if (!this.detector) this.detector = new StaticDetector(this.masterList[0].url);
    if (!standby) await this.waitForLeader(this.zk ? 30_000 : 5_000);
  }

  /**
   * Waits until a master leads and has recovered: one of ours, or, with ZooKeeper, one in another
   * process (not at `notPort`, the master just stopped).
   */
  private async waitForLeader(timeoutMs: number, notPort?: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const l = this.leader();
      if (l && !l.core.isRecovering()) return;
      const elsewhere = this.detector?.current();
      if (!l && this.zk && elsewhere && !this.masterList.some((m) => m.port === elsewhere.port) && elsewhere.port !== notPort) return;
      if (Date.now() > deadline) throw new Error(`no master became leader within ${timeoutMs} ms${this.zk ? ` (is a dead master still registered under ${this.zkUrl}? its node goes when its session expires)` : ''}`);
      await sleep(20);
    }
  }

  async startAgents(specs: AgentSpec[]): Promise<void> {
    if (!this.detector) throw new Error('masters must start before agents');
    for (const spec of specs) {
      const agentDir = join(this.workDir, spec.hostname);
      await mkdir(agentDir, { recursive: true });
      const agent = new LocalAgent({
        hostname: spec.hostname,
        workDir: agentDir,
        resources: specResources(spec),
        attributes: spec.attributes,
        detector: this.detector,
        statusUpdateRetry: this.opts.statusUpdateRetry,
        defaultKillGraceMs: this.opts.defaultKillGraceMs,
        sandboxGcDelayMs: this.opts.sandboxGcDelayMs,
        fetcherCacheBytes: this.opts.fetcherCacheBytes,
        inheritedEnv: await this.taskEnv(),
        logger: this.logger,
      });
      this.agentList.push({ agent, spec });
      agent.start();
    }
    await Promise.all(this.agentList.map(({ agent }) => agent.waitRegistered(30_000)));
  }

  private taskEnvPromise?: Promise<NodeJS.ProcessEnv | undefined>;

  private taskEnv(): Promise<NodeJS.ProcessEnv | undefined> {
    this.taskEnvPromise ??= this.opts.tasksWithoutNode ? nodeFreeEnvironment(join(this.workDir, 'task-bin'), this.opts.taskEnv ?? process.env) : Promise.resolve(this.opts.taskEnv);
    return this.taskEnvPromise;
  }

  private findAgent(idOrHostname: string): LocalAgent | undefined {
    return this.agentList.find(({ agent }) => agent.agentId === idOrHostname || agent.hostname === idOrHostname)?.agent;
  }

  async killAgent(idOrHostname: string, opts: { gone?: boolean } = {}): Promise<void> {
    const agent = this.findAgent(idOrHostname);
    if (!agent) throw new Error(`no agent ${idOrHostname} in this cluster`);
    const id = agent.agentId;
    await agent.crash();
    const leader = this.leader();
    // The master would notice after its disconnect timeout; marking the agent now makes the fault immediate.
    if (leader && id) {
      if (opts.gone) leader.core.markAgentGone(id);
      else leader.core.markAgentUnreachable(id);
    }
  }

  async failoverMaster(): Promise<void> {
    const old = this.leader();
    if (!old) throw new Error('no master of this process leads: nothing to fail over here');
    const port = old.port;
    this.masterList.splice(this.masterList.indexOf(old), 1);
    await old.stop();
    this.logger.warn(`master ${old.core.id} on port ${port} stopped (failover)`);
    if (!this.zk) {
      // No ZooKeeper, no standby: a fresh master (new id, empty state) comes up on the same port, as a restarted one would.
      await this.startMaster(port, false);
      await this.waitForLeader(5_000);
      return;
    }
    if (this.masterList.length === 0) {
      // A standby in another process may take over; if none does, the master started again here will.
      await this.startMaster(port, false);
      await this.waitForLeader(30_000, port);
      return;
    }
    await this.waitForLeader(30_000, port);
    // Keep the number of masters: a new standby takes the old leader's port.
    await this.startMaster(port, false);
  }

  cutFrameworkStream(frameworkId: string): boolean {
    return this.leader()?.core.cutFrameworkStream(frameworkId) ?? false;
  }

  delayStatusUpdates(ms: number): void {
    this.faults.delayMs = Math.max(0, ms);
  }

  duplicateStatusUpdates(on: boolean): void {
    this.faults.duplicate = on;
  }

  rescindOffers(frameworkId?: string): number {
    return this.leader()?.core.rescindAllOffers(frameworkId) ?? 0;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(this.agentList.map(({ agent }) => agent.stop()));
    await Promise.all(this.masterList.map((m) => m.stop()));
    await this.detector?.stop();
    process.off('exit', this.exitHandler);
    if (this.ownsWorkDir) await rm(this.workDir, { recursive: true, force: true });
  }
}
