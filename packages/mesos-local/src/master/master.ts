import { randomUUID } from 'node:crypto';
import type { Logger } from '@msched/logging';
import type { AgentCommand, AgentExecutorExited, AgentRegistration, AgentStatusUpdate } from '../protocol/agent-link';
import { events } from '../protocol/events';
import { masterInfo } from '../protocol/master-info';
import type { MasterInfoJson, SchedulerEvent, TaskStatus } from '../protocol/mesos-types';
import type { SchedulerCall } from '../protocol/scheduler-calls';
import { isTerminal, stateForFramework } from '../protocol/task-states';
import { Bag, subtract } from '../resources/bag';
import { AgentLifecycle } from './agent-lifecycle';
import { frameworkTraits } from './framework-roles';
import type { Leadership, LeadershipState } from './leadership';
import { SoleLeadership } from './leadership';
import type { RecordStream } from './http/record-stream';
import { startSubscribedStream } from './http/event-streams';
import { AgentBook } from './agent-book';
import { FrameworkBook } from './framework-book';
import { OfferBook } from './offer-book';
import type { AgentRecord, FrameworkRecord } from './records';
import { SchedulerCalls } from './scheduler-calls';
import { TaskBook } from './task-book';
import { MemoryRegistry, Registry } from './registry';
import { UpdateFaults } from './update-faults';
import { agentWorkDirs, masterSnapshot, MasterSnapshot } from './views';

export interface MasterTiming {
  /** How often offers are made (Mesos: --allocation_interval, 1 s). */
  allocationIntervalMs: number;
  /** Sent in SUBSCRIBED; HEARTBEAT events follow at this interval (Mesos: 15 s). */
  heartbeatIntervalSeconds: number;
  /** Outstanding offers are rescinded after this long (Mesos: --offer_timeout, none by default). */
  offerTimeoutMs?: number;
  /** A disconnected agent is marked unreachable after this long (Mesos: 15 s ping timeout x 5). */
  agentDisconnectTimeoutMs: number;
  /** After a failover, agents of the registry that have not re-registered by then are unreachable (Mesos: 10 min). */
  agentReregisterTimeoutMs: number;
}

export const DEFAULT_TIMING: MasterTiming = {
  allocationIntervalMs: 1000,
  heartbeatIntervalSeconds: 15,
  agentDisconnectTimeoutMs: 75_000,
  agentReregisterTimeoutMs: 600_000,
};

export interface MasterCoreOptions {
  /** The clock (ms since the epoch) every record and timeout is stamped with; Date.now unless a test injects one. */
  now?: () => number;
  id?: string;
  /** Advertised address: what goes into MasterInfo and 307 Locations. */
  hostname: string;
  ip: string;
  port: number;
  timing?: Partial<MasterTiming>;
  leadership?: Leadership;
  registry?: Registry;
  faults?: UpdateFaults;
  logger: Logger;
  /** Called when leadership is lost while leading (ZooKeeper session gone); a Mesos master exits then. */
  onLeadershipLost?: () => void;
}

/** The outcome of the framework checks every non-SUBSCRIBE call goes through. */
export type CallGate = { ok: true; framework: FrameworkRecord } | { ok: false; status: 400 | 403; message: string };

/**
 * The master's coordinator: leadership and the registry, frameworks, and allocation. It owns the
 * books (frameworks, agents, offers, tasks) and hands narrow views of them to the parts that act on
 * them: SchedulerCalls (a framework's calls), AgentLifecycle (agents from registration to removal).
 * HTTP parsing and routing live in ./http; renderings of the state in ./views and ./state-json.
 */
export class MasterCore {
  readonly id: string;
  readonly timing: MasterTiming;
  readonly faults: UpdateFaults;
  private readonly logger: Logger;
  private readonly leadership: Leadership;
  private readonly registry: Registry;
  private info: MasterInfoJson;

  private leading = false;
  private recovering = false;
  private stopped = false;
  private leader: MasterInfoJson | null = null;
  private electedAt?: number;
  private readonly now: () => number;
  private readonly startedAt: number;

  private readonly frameworks: FrameworkBook;
  private readonly agents: AgentBook;
  private readonly offers: OfferBook;
  private readonly tasks: TaskBook;
  private readonly calls: SchedulerCalls;
  private readonly agentLife: AgentLifecycle;

  private allocationTimer?: NodeJS.Timeout;
  private allocationSoon?: NodeJS.Immediate;
  private reregisterTimer?: NodeJS.Timeout;
  private registrySave: Promise<void> = Promise.resolve();

  constructor(private readonly opts: MasterCoreOptions) {
    this.id = opts.id ?? randomUUID();
    this.now = opts.now ?? Date.now;
    this.startedAt = this.now();
    this.frameworks = new FrameworkBook(this.id);
    this.agents = new AgentBook(this.id);
    this.tasks = new TaskBook(this.now);
    this.timing = { ...DEFAULT_TIMING, ...opts.timing };
    this.faults = opts.faults ?? new UpdateFaults();
    this.logger = opts.logger;
    this.leadership = opts.leadership ?? new SoleLeadership();
    this.registry = opts.registry ?? new MemoryRegistry();
    this.info = masterInfo({ id: this.id, hostname: opts.hostname, ip: opts.ip, port: opts.port });
    this.offers = new OfferBook({
      idPrefix: this.id,
      now: this.now,
      offerTimeoutMs: this.timing.offerTimeoutMs,
      logger: this.logger,
      agent: (id) => this.agents.get(id),
      rescinded: (fwId, offerId) => this.frameworks.send(fwId, events.rescind(offerId)),
      offered: (fwId, offers) => this.frameworks.send(fwId, events.offers(offers)),
    });
    this.calls = new SchedulerCalls({
      logger: this.logger, offers: this.offers, tasks: this.tasks, agents: this.agents, now: this.now,
      send: (fw, event) => this.send(fw, event),
      sendMasterUpdate: (fw, status) => this.sendMasterUpdate(fw, status),
      removeFramework: (fw, reason) => this.removeFramework(fw, reason),
      allocateSoon: () => this.allocateSoon(),
    });
    this.agentLife = new AgentLifecycle({
      masterId: this.id, logger: this.logger, now: this.now,
      agents: this.agents, frameworks: this.frameworks, tasks: this.tasks, offers: this.offers,
      faults: this.faults, agentDisconnectTimeoutMs: this.timing.agentDisconnectTimeoutMs,
      isStopped: () => this.stopped,
      send: (fw, event) => this.send(fw, event),
      sendMasterUpdate: (fw, status) => this.sendMasterUpdate(fw, status),
      saveRegistry: () => this.saveRegistry(),
    });
  }

  // ------------------------------------------------------------------ lifecycle and leadership

  /** Starts contending; resolves once this master knows who leads (itself or another). */
  async start(): Promise<void> {
    await this.leadership.start(this.info, (s) => void this.onLeadership(s));
  }

  get masterInfo(): MasterInfoJson {
    return this.info;
  }

  isLeading(): boolean {
    return this.leading && !this.stopped;
  }

  isRecovering(): boolean {
    return this.recovering;
  }

  /** The leading master's MasterInfo, this one's included; null when nobody leads. */
  leaderInfo(): MasterInfoJson | null {
    return this.leader;
  }

  private async onLeadership(s: LeadershipState): Promise<void> {
    if (this.stopped) return;
    this.leader = s.leader;
    if (s.leading && !this.leading) {
      this.leading = true;
      this.recovering = true;
      this.electedAt = this.now();
      this.logger.info(`master ${this.id} elected leader`);
      try {
        await this.recoverRegistry();
      } catch (e) {
        this.logger.error(`master ${this.id} could not read the registry: ${(e as Error).message}; starting with no known agents`);
      }
      this.recovering = false;
      this.allocationTimer = setInterval(() => this.allocateOnce(), this.timing.allocationIntervalMs);
    } else if (!s.leading && this.leading) {
      this.logger.error(`master ${this.id} lost leadership; stopping as a Mesos master would`);
      this.leading = false;
      this.opts.onLeadershipLost?.();
    } else if (!s.leading) {
      this.logger.info(`master ${this.id} is a standby; leader is ${s.leader ? `${s.leader.hostname}:${s.leader.port}` : 'none'}`);
    }
  }

  private async recoverRegistry(): Promise<void> {
    const expected = this.agents.recover(await this.registry.load(), this.now());
    if (expected) {
      this.logger.info(`waiting up to ${this.timing.agentReregisterTimeoutMs} ms for ${expected} agent(s) to re-register`);
      this.reregisterTimer = setTimeout(() => {
        for (const e of this.agents.expireRecovering(this.now())) this.logger.warn(`agent ${e.id} (${e.hostname}) did not re-register in time: unreachable`);
        this.saveRegistry();
      }, this.timing.agentReregisterTimeoutMs);
    }
  }

  private saveRegistry(): void {
    const entries = this.agents.registryEntries();
    this.registrySave = this.registrySave.then(() => this.registry.save(entries)).catch((e) => {
      this.logger.warn(`could not save the registry: ${(e as Error).message}`);
    });
  }

  /** Stops for good: streams and links are cut (as a crashed master's would be), leadership released. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.leading = false;
    clearInterval(this.allocationTimer);
    if (this.allocationSoon) clearImmediate(this.allocationSoon);
    clearTimeout(this.reregisterTimer);
    for (const f of this.frameworks.all()) {
      clearTimeout(f.failoverTimer);
      f.stream?.cut();
    }
    this.agentLife.stop();
    this.offers.stop();
    await this.registrySave;
    await this.leadership.stop();
  }

  // ------------------------------------------------------------------ frameworks

  /** Checks every non-SUBSCRIBE call makes before acting, in the real master's order. */
  gateCall(frameworkId: string, streamId: string | undefined): CallGate {
    const fw = this.frameworks.get(frameworkId);
    if (!fw) return { ok: false, status: 400, message: 'Framework cannot be found' };
    if (fw.state !== 'connected' || !fw.stream) return { ok: false, status: 403, message: 'Framework is not subscribed' };
    if (streamId === undefined) return { ok: false, status: 400, message: "All non-subscribe calls should include the 'Mesos-Stream-Id' header" };
    if (streamId !== fw.stream.id) {
      return { ok: false, status: 400, message: `The stream ID '${streamId}' included in this request didn't match the stream ID currently associated with framework ID ${fw.id}` };
    }
    return { ok: true, framework: fw };
  }

  /** SUBSCRIBE: always answers 200 with a stream; refusals are one ERROR event and the end of it. */
  subscribe(call: Extract<SchedulerCall, { type: 'SUBSCRIBE' }>, stream: RecordStream): void {
    const refuse = (message: string) => {
      this.logger.warn(`refusing SUBSCRIBE: ${message}`);
      stream.send(events.error(message));
      stream.end();
    };
    const info = call.subscribe.frameworkInfo;
    const traits = frameworkTraits(info);
    if (!traits.ok) return refuse(traits.error);
    if (call.frameworkId && this.frameworks.isRemoved(call.frameworkId)) return refuse('Framework has been removed');

    const now = this.now();
    let fw = call.frameworkId ? this.frameworks.get(call.frameworkId) : undefined;
    if (fw) {
      const old = fw.stream;
      fw.stream = null;
      if (old) {
        old.send(events.error('Framework failed over'));
        old.end();
      }
      clearTimeout(fw.failoverTimer);
      fw.failoverTimer = undefined;
      this.offers.discardOf(fw.id);
      fw.info = { ...info, id: { value: fw.id } };
      fw.traits = traits.traits;
      fw.reregisteredTime = now;
      this.logger.info(`framework ${fw.id} (${info.name}) re-subscribed${old ? ': failed over from its previous connection' : ''}`);
    } else {
      const id = call.frameworkId ?? this.frameworks.nextId();
      fw = {
        id,
        info: { ...info, id: { value: id } },
        traits: traits.traits,
        suppressedRoles: new Set(),
        stream: null,
        state: 'connected',
        registeredTime: now,
      };
      this.frameworks.add(fw);
      this.logger.info(`framework ${id} (${info.name}) subscribed with roles ${fw.traits.roles.join(',')}`);
    }
    fw.state = 'connected';
    fw.suppressedRoles = new Set(call.subscribe.suppressedRoles);
    fw.stream = stream;
    const record = fw;
    stream.onClose(() => {
      if (record.stream === stream) this.frameworkDisconnected(record);
    });
    startSubscribedStream(stream, fw.id, this.timing.heartbeatIntervalSeconds, this.info);
    this.agentLife.frameworkUpdated(fw.id, fw.info);
  }

  private frameworkDisconnected(fw: FrameworkRecord): void {
    if (this.stopped) return;
    fw.stream = null;
    fw.state = 'disconnected';
    fw.unregisteredTime = this.now();
    this.offers.discardOf(fw.id);
    const timeoutMs = Math.max(0, (fw.info.failover_timeout ?? 0) * 1000);
    this.logger.info(`framework ${fw.id} disconnected; failover timeout ${timeoutMs} ms`);
    fw.failoverTimer = setTimeout(() => {
      this.logger.warn(`framework ${fw.id} did not come back within its failover timeout: removing it and killing its tasks`);
      this.removeFramework(fw, 'failover timeout elapsed');
    }, Math.min(timeoutMs, 2 ** 31 - 1));
  }

  private removeFramework(fw: FrameworkRecord, reason: string): void {
    clearTimeout(fw.failoverTimer);
    this.offers.discardOf(fw.id);
    const agentsWithTasks = new Set<string>();
    for (const t of this.tasks.ofFramework(fw.id)) {
      agentsWithTasks.add(t.agentId);
      if (!isTerminal(t.state)) t.state = 'TASK_KILLED';
      this.tasks.complete(t);
    }
    this.tasks.removeExecutorsOf(fw.id);
    for (const agentId of agentsWithTasks) this.agents.get(agentId)?.link?.send({ type: 'SHUTDOWN_FRAMEWORK', framework_id: fw.id } satisfies AgentCommand);
    this.offers.filters.clearFramework(fw.id);
    this.frameworks.retire(fw, reason, this.now());
    const stream = fw.stream;
    fw.stream = null;
    stream?.end();
  }

  /** Fault injection: drop a framework's event stream as a broken network would. */
  cutFrameworkStream(frameworkId: string): boolean {
    const fw = this.frameworks.get(frameworkId);
    if (!fw?.stream) return false;
    fw.stream.cut();
    return true;
  }

  /** Runs one validated call of a subscribed framework. */
  execute(fw: FrameworkRecord, call: Exclude<SchedulerCall, { type: 'SUBSCRIBE' }>): void {
    this.calls.execute(fw, call);
  }

  /** A master-made update: no uuid, not acknowledged; terminal ones end the task at once. */
  private sendMasterUpdate(fw: FrameworkRecord | undefined, status: TaskStatus): void {
    const frameworkId = fw?.id;
    const t = frameworkId ? this.tasks.get(frameworkId, status.task_id.value) : undefined;
    if (t) {
      this.tasks.setState(t, status.state, status);
      if (isTerminal(status.state)) this.tasks.complete(t);
    }
    if (fw) this.send(fw, events.update({ ...status, state: stateForFramework(status.state, fw.traits.partitionAware) }));
  }

  private send(fw: FrameworkRecord, event: SchedulerEvent): void {
    fw.stream?.send(event);
  }

  // ------------------------------------------------------------------ offers and allocation

  /**
   * An allocation cycle as soon as the calls in hand are done (several calls share one), besides
   * the periodic ones: Mesos' allocator allocates at once when a framework revives, so a framework
   * that suppressed while idle does not wait up to an allocation interval for its new work.
   */
  private allocateSoon(): void {
    if (this.allocationSoon || this.stopped) return;
    this.allocationSoon = setImmediate(() => {
      this.allocationSoon = undefined;
      this.allocateOnce();
    });
  }

  private allocateOnce(): void {
    if (!this.isLeading()) return;
    this.offers.allocateOnce(
      this.agents.all().map((a) => ({ id: a.id, active: !!a.link, available: this.availableOn(a) })),
      this.frameworks.all().map((f) => ({ id: f.id, roles: f.traits.roles, suppressedRoles: f.suppressedRoles, active: f.state === 'connected' && !!f.stream })),
    );
  }

  private availableOn(a: AgentRecord): Bag {
    return subtract(subtract(a.total, this.tasks.usedOn(a.id)), this.offers.offeredOn(a.id));
  }

  /** Fault injection and tests: rescind every outstanding offer (of one framework, or all). */
  rescindAllOffers(frameworkId?: string): number {
    const ids = this.offers.all().filter((o) => !frameworkId || o.frameworkId === frameworkId).map((o) => o.id);
    ids.forEach((id) => this.offers.rescind(id, 'rescinded on request'));
    return ids.length;
  }

  // ------------------------------------------------------------------ agents (./agent-lifecycle)

  /** An agent (re-)registers and keeps `stream` open as its command stream. */
  registerAgent(reg: AgentRegistration, stream: RecordStream): void {
    this.agentLife.register(reg, stream);
  }

  /** The agent is treated as partitioned away: its tasks become UNREACHABLE (LOST for others). */
  markAgentUnreachable(agentId: string): boolean {
    return this.agentLife.markUnreachable(agentId);
  }

  /** The operator says the agent is gone for good: its tasks become GONE_BY_OPERATOR (LOST for others). */
  markAgentGone(agentId: string): boolean {
    return this.agentLife.markGone(agentId);
  }

  /** An agent's status update: recorded, then forwarded to the framework (faults applied). */
  agentStatusUpdate(u: AgentStatusUpdate): { ok: boolean; message?: string } {
    return this.agentLife.statusUpdate(u);
  }

  /** A task group's executor ended: FAILURE with its raw waitpid status, as Mesos sends for non-command executors. */
  agentExecutorExited(e: AgentExecutorExited): { ok: boolean; message?: string } {
    return this.agentLife.executorExited(e);
  }

  // ------------------------------------------------------------------ views (./views)

  /** Everything /master/state and GET_STATE render, as plain data. */
  snapshot(): MasterSnapshot {
    return masterSnapshot({
      id: this.id, info: this.info, leading: this.isLeading(), leader: this.leader, startedAt: this.startedAt, electedAt: this.electedAt,
      frameworks: this.frameworks, agents: this.agents, offers: this.offers, tasks: this.tasks,
    });
  }

  /** Work directories of registered agents: the only places the files API may read. */
  agentWorkDirs(): string[] {
    return agentWorkDirs(this.agents);
  }
}
