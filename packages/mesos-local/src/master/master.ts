import { randomUUID } from 'node:crypto';
import type { Logger } from '@msched/logging';
import type { AgentCommand, AgentExecutorExited, AgentRegistration, AgentStatusUpdate } from '../protocol/agent-link';
import { events } from '../protocol/events';
import { masterInfo } from '../protocol/master-info';
import type { FrameworkInfo, MasterInfoJson, Offer, SchedulerEvent, TaskState, TaskStatus } from '../protocol/mesos-types';
import type { SchedulerCall } from '../protocol/scheduler-calls';
import { isTerminal, stateForFramework } from '../protocol/task-states';
import { Bag, fromResources, subtract } from '../resources/bag';
import { frameworkTraits } from './framework-roles';
import type { Leadership, LeadershipState } from './leadership';
import { SoleLeadership } from './leadership';
import type { RecordStream } from './http/record-stream';
import { startSubscribedStream } from './http/event-streams';
import { AgentBook } from './agent-book';
import { FrameworkBook } from './framework-book';
import { OfferBook, offerJson } from './offer-book';
import type { AgentRecord, CompletedFramework, FrameworkRecord, GroupExecutorRecord, OfferRecord, TaskRecord } from './records';
import { SchedulerCalls } from './scheduler-calls';
import { TaskBook } from './task-book';
import { MemoryRegistry, Registry, RegistryEntry } from './registry';
import { UpdateFaults } from './update-faults';

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
 * The master's state machine: frameworks, agents, offers, tasks. HTTP parsing and routing live in
 * ./http; this class receives validated calls and agent messages and emits events and commands.
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

  private allocationTimer?: NodeJS.Timeout;
  private allocationSoon?: NodeJS.Immediate;
  private reregisterTimer?: NodeJS.Timeout;
  private readonly pendingDeliveries = new Set<NodeJS.Timeout>();
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
    this.pendingDeliveries.forEach((t) => clearTimeout(t));
    for (const f of this.frameworks.all()) {
      clearTimeout(f.failoverTimer);
      f.stream?.cut();
    }
    for (const a of this.agents.all()) {
      clearTimeout(a.disconnectTimer);
      a.link?.cut();
    }
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
    for (const a of this.agents.all()) if (a.link && this.agentHasFramework(a.id, fw.id)) a.link.send({ type: 'UPDATE_FRAMEWORK', framework: fw.info } satisfies AgentCommand);
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

  // ------------------------------------------------------------------ agents

  /** An agent (re-)registers and keeps `res` open as its command stream. */
  registerAgent(reg: AgentRegistration, stream: RecordStream): void {
    if (reg.agent_id && this.agents.isGone(reg.agent_id)) {
      stream.send({ type: 'SHUTDOWN', message: `Agent ${reg.agent_id} has been marked gone` } satisfies AgentCommand);
      stream.end();
      return;
    }
    const now = this.now();
    const total = fromResources(reg.resources).bag;
    let agent = reg.agent_id ? this.agents.get(reg.agent_id) : undefined;
    const id = reg.agent_id ?? this.agents.nextId();
    if (agent) {
      clearTimeout(agent.disconnectTimer);
      agent.disconnectTimer = undefined;
      const previous = agent.link;
      agent.link = null;
      previous?.cut();
      agent.reregisteredTime = now;
      this.logger.info(`agent ${id} (${reg.hostname}) re-registered`);
    } else {
      agent = { id, hostname: reg.hostname, workDir: reg.work_dir, total, totalJson: reg.resources, attributes: reg.attributes, link: null, registeredTime: now };
      if (reg.agent_id) agent.reregisteredTime = now;
      const wasKnown = this.agents.admit(agent);
      this.logger.info(`agent ${id} (${reg.hostname}) ${reg.agent_id ? `re-registered${wasKnown ? '' : ' (unknown to this master)'}` : 'registered'}`);
      this.saveRegistry();
    }
    agent.link = stream;
    const record = agent;
    stream.onClose(() => {
      if (record.link === stream) this.agentDisconnected(record);
    });
    this.learnFromAgent(agent, reg);
    stream.send({ type: 'REGISTERED', agent_id: id, master_id: this.id } satisfies AgentCommand);
  }

  /** Takes in the frameworks and tasks an agent reports, as a master does after failover. */
  private learnFromAgent(agent: AgentRecord, reg: AgentRegistration): void {
    for (const info of reg.frameworks) {
      const id = info.id?.value;
      if (!id || this.frameworks.has(id)) continue;
      if (this.frameworks.isRemoved(id)) {
        agent.link?.send({ type: 'SHUTDOWN_FRAMEWORK', framework_id: id } satisfies AgentCommand);
        continue;
      }
      const traits = frameworkTraits(info);
      if (!traits.ok) continue;
      // Like Mesos, no failover timeout runs for a framework known only from agents: it is kept
      // until it re-subscribes or is torn down.
      this.frameworks.add({ id, info, traits: traits.traits, suppressedRoles: new Set(), stream: null, state: 'recovered', registeredTime: this.now() });
      this.logger.info(`learnt framework ${id} (${info.name}) from agent ${agent.id}`);
    }
    const reported = new Set<string>();
    for (const r of reg.tasks) {
      reported.add(`${r.framework_id}/${r.task.task_id.value}`);
      if (this.frameworks.isRemoved(r.framework_id)) continue;
      let t = this.tasks.get(r.framework_id, r.task.task_id.value);
      if (!t) {
        t = this.tasks.add(r.framework_id, agent.id, r.task, fromResources(r.task.resources).bag, r.executor_id, r.group_executor?.executor_id.value);
        if (r.group_executor) {
          const executorId = r.group_executor.executor_id.value;
          const e = this.tasks.executor(r.framework_id, agent.id, executorId)
            ?? { frameworkId: r.framework_id, agentId: agent.id, executorId, info: r.group_executor, resources: fromResources(r.group_executor.resources).bag, taskIds: [] };
          if (!e.taskIds.includes(t.taskId)) e.taskIds.push(t.taskId);
          this.tasks.setExecutor(e);
        }
      }
      t.directory = r.directory;
      this.tasks.setState(t, r.state, r.latest_status);
    }
    // Tasks this master launched there that the agent does not report are gone (a RUN_TASK lost
    // with a broken link, say), as a Mesos master reports them when an agent re-registers.
    for (const t of this.tasks.onAgent(agent.id)) {
      if (reported.has(`${t.frameworkId}/${t.taskId}`) || isTerminal(t.state)) continue;
      this.sendMasterUpdate(this.frameworks.get(t.frameworkId), {
        task_id: { value: t.taskId }, agent_id: { value: agent.id }, state: 'TASK_GONE', source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION',
        message: 'Task is unknown to the agent that re-registered', timestamp: this.now() / 1000,
      });
    }
  }

  private agentHasFramework(agentId: string, frameworkId: string): boolean {
    return this.tasks.onAgent(agentId).some((t) => t.frameworkId === frameworkId);
  }

  private agentDisconnected(agent: AgentRecord): void {
    if (this.stopped) return;
    agent.link = null;
    this.logger.warn(`agent ${agent.id} (${agent.hostname}) disconnected; unreachable in ${this.timing.agentDisconnectTimeoutMs} ms unless it re-registers`);
    this.offers.rescindOnAgent(agent.id, `agent ${agent.id} disconnected`);
    agent.disconnectTimer = setTimeout(() => this.markAgentUnreachable(agent.id), this.timing.agentDisconnectTimeoutMs);
  }

  /** The agent is treated as partitioned away: its tasks become UNREACHABLE (LOST for others). */
  markAgentUnreachable(agentId: string): boolean {
    return this.removeAgent(agentId, 'unreachable');
  }

  /** The operator says the agent is gone for good: its tasks become GONE_BY_OPERATOR (LOST for others). */
  markAgentGone(agentId: string): boolean {
    return this.removeAgent(agentId, 'gone');
  }

  private removeAgent(agentId: string, how: 'unreachable' | 'gone'): boolean {
    const agent = this.agents.remove(agentId, how, this.now());
    if (!agent) {
      if (how === 'gone' && this.agents.unreachableToGone(agentId, this.now())) {
        this.saveRegistry();
        return true;
      }
      return false;
    }
    clearTimeout(agent.disconnectTimer);
    this.saveRegistry();
    this.offers.rescindOnAgent(agentId, `agent ${agentId} removed`);
    this.offers.filters.clearAgent(agentId);
    const state: TaskState = how === 'gone' ? 'TASK_GONE_BY_OPERATOR' : 'TASK_UNREACHABLE';
    const reason = how === 'gone' ? 'REASON_AGENT_REMOVED_BY_OPERATOR' : 'REASON_AGENT_REMOVED';
    this.logger.warn(`agent ${agentId} (${agent.hostname}) is ${how}: its tasks become ${state}`);
    for (const t of this.tasks.onAgent(agentId)) {
      if (isTerminal(t.state)) continue;
      // UNREACHABLE and GONE_BY_OPERATOR are not terminal: the task stays known (reconciliation
      // reports it) but no longer uses resources anywhere.
      this.sendMasterUpdate(this.frameworks.get(t.frameworkId), {
        task_id: { value: t.taskId }, agent_id: { value: agentId }, state, source: 'SOURCE_MASTER', reason,
        message: `Agent ${agent.hostname} is ${how}`, timestamp: this.now() / 1000,
      });
    }
    for (const fw of this.frameworks.all()) this.send(fw, events.failure(agentId));
    if (agent.link) {
      const link = agent.link;
      agent.link = null;
      link.send({ type: 'SHUTDOWN', message: `Agent ${agentId} was marked ${how}` } satisfies AgentCommand);
      link.end();
    }
    return true;
  }

  /** An agent's status update: recorded, then forwarded to the framework (faults applied). */
  agentStatusUpdate(u: AgentStatusUpdate): { ok: boolean; message?: string } {
    const agent = this.agents.get(u.agent_id);
    if (!agent?.link) return { ok: false, message: `Agent ${u.agent_id} is not registered with this master` };
    const fw = this.frameworks.get(u.framework_id);
    if (!fw && this.frameworks.isRemoved(u.framework_id)) {
      agent.link.send({ type: 'SHUTDOWN_FRAMEWORK', framework_id: u.framework_id } satisfies AgentCommand);
      return { ok: true };
    }
    const t = this.tasks.get(u.framework_id, u.status.task_id.value);
    if (t) {
      this.tasks.setState(t, u.latest_state, u.status);
      t.statusUpdateState = u.status.state;
      t.statusUpdateUuid = u.status.uuid;
      if (u.directory) t.directory = u.directory;
    }
    if (fw) this.deliverAgentUpdate(fw.id, u.status);
    return { ok: true };
  }

  private deliverAgentUpdate(frameworkId: string, status: TaskStatus): void {
    const deliver = () => {
      const fw = this.frameworks.get(frameworkId);
      if (!fw) return;
      const event = events.update({ ...status, state: stateForFramework(status.state, fw.traits.partitionAware) });
      this.send(fw, event);
      if (this.faults.duplicate) this.send(fw, event);
    };
    if (this.faults.delayMs > 0) {
      const timer = setTimeout(() => {
        this.pendingDeliveries.delete(timer);
        deliver();
      }, this.faults.delayMs);
      this.pendingDeliveries.add(timer);
    } else deliver();
  }

  /** A task group's executor ended: FAILURE with its raw waitpid status, as Mesos sends for non-command executors. */
  agentExecutorExited(e: AgentExecutorExited): { ok: boolean; message?: string } {
    if (!this.agents.get(e.agent_id)?.link) return { ok: false, message: `Agent ${e.agent_id} is not registered with this master` };
    this.tasks.removeExecutor(e.framework_id, e.agent_id, e.executor_id);
    const fw = this.frameworks.get(e.framework_id);
    if (fw) this.send(fw, events.failure(e.agent_id, { executorId: e.executor_id, status: e.status }));
    return { ok: true };
  }

  // ------------------------------------------------------------------ views

  /** Everything /master/state and GET_STATE render, as plain data. */
  snapshot(): MasterSnapshot {
    return {
      id: this.id,
      info: this.info,
      leading: this.isLeading(),
      leader: this.leader,
      startedAt: this.startedAt,
      electedAt: this.electedAt,
      frameworks: this.frameworks.all(),
      completedFrameworks: this.frameworks.completed(),
      agents: this.agents.all().map((a) => ({ agent: a, used: this.tasks.usedOn(a.id), offered: this.offers.offeredOn(a.id) })),
      unreachableAgents: this.agents.unreachableList(),
      goneAgents: this.agents.goneList(),
      recoveringAgents: this.agents.recoveringList(),
      offers: this.offers.all().flatMap((o) => {
        const agent = this.agents.get(o.agentId);
        return agent ? [{ offer: o, json: offerJson(o, agent) }] : [];
      }),
      tasks: this.tasks.all(),
      completedTasks: this.tasks.completedTasks(),
      executors: this.tasks.allExecutors(),
      frameworkIdsInfo: (id: string): FrameworkInfo | undefined => this.frameworks.infoOf(id),
    };
  }

  /** Work directories of registered agents: the only places the files API may read. */
  agentWorkDirs(): string[] {
    return this.agents.all().map((a) => a.workDir);
  }
}

export interface MasterSnapshot {
  id: string;
  info: MasterInfoJson;
  leading: boolean;
  leader: MasterInfoJson | null;
  startedAt: number;
  electedAt?: number;
  frameworks: FrameworkRecord[];
  completedFrameworks: CompletedFramework[];
  agents: Array<{ agent: AgentRecord; used: Bag; offered: Bag }>;
  unreachableAgents: Array<{ id: string; hostname: string; since: number }>;
  goneAgents: Array<{ id: string; hostname: string; since: number }>;
  recoveringAgents: RegistryEntry[];
  offers: Array<{ offer: OfferRecord; json: Offer }>;
  tasks: TaskRecord[];
  completedTasks: TaskRecord[];
  executors: GroupExecutorRecord[];
  frameworkIdsInfo(id: string): FrameworkInfo | undefined;
}
