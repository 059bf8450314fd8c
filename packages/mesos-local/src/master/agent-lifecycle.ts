import type { Logger } from '@msched/logging';
import type { AgentCommand, AgentExecutorExited, AgentRegistration, AgentStatusUpdate } from '../protocol/agent-link';
import { events } from '../protocol/events';
import type { FrameworkInfo, SchedulerEvent, TaskState, TaskStatus } from '../protocol/mesos-types';
import { isTerminal, stateForFramework } from '../protocol/task-states';
import { fromResources } from '../resources/bag';
import type { AgentBook } from './agent-book';
import type { FrameworkBook } from './framework-book';
import { frameworkTraits } from './framework-roles';
import type { RecordStream } from './http/record-stream';
import type { OfferBook } from './offer-book';
import type { AgentRecord, FrameworkRecord } from './records';
import type { TaskBook } from './task-book';
import type { UpdateFaults } from './update-faults';

/**
 * What an agent's life touches in the coordinator: its books, the clock, the update faults, and
 * the few acts MasterCore owns (framework streams, master-made updates, the registry). Kept
 * narrow so the agent side cannot reach leadership or allocation.
 */
export interface AgentLifecycleContext {
  /** The master's id, sent to agents in REGISTERED. */
  readonly masterId: string;
  readonly logger: Logger;
  readonly agents: AgentBook;
  readonly frameworks: FrameworkBook;
  readonly tasks: TaskBook;
  readonly offers: OfferBook;
  /** Read at delivery time, so faults set over HTTP apply to the next update. */
  readonly faults: UpdateFaults;
  /** A disconnected agent is marked unreachable after this long. */
  readonly agentDisconnectTimeoutMs: number;
  now(): number;
  /** True once the master stopped: a link closing then is the master's doing, not the agent's. */
  isStopped(): boolean;
  send(fw: FrameworkRecord, event: SchedulerEvent): void;
  /** A master-made update: no uuid, not acknowledged; terminal ones end the task at once. */
  sendMasterUpdate(fw: FrameworkRecord | undefined, status: TaskStatus): void;
  /** Persists the admitted/unreachable/gone agents, as the Mesos registrar does on every change. */
  saveRegistry(): void;
}

/**
 * Agents from registration to removal, as the real master handles them: (re-)registration and what
 * the master learns from it after a failover, disconnection and its timeout, unreachable and gone,
 * and the status updates and executor exits agents report (forwarded to frameworks, faults applied).
 */
export class AgentLifecycle {
  /** Delayed deliveries (the delay fault), cleared when the master stops. */
  private readonly pendingDeliveries = new Set<NodeJS.Timeout>();

  constructor(private readonly m: AgentLifecycleContext) {}

  /** An agent (re-)registers and keeps `stream` open as its command stream. */
  register(reg: AgentRegistration, stream: RecordStream): void {
    if (reg.agent_id && this.m.agents.isGone(reg.agent_id)) {
      stream.send({ type: 'SHUTDOWN', message: `Agent ${reg.agent_id} has been marked gone` } satisfies AgentCommand);
      stream.end();
      return;
    }
    const now = this.m.now();
    const total = fromResources(reg.resources).bag;
    let agent = reg.agent_id ? this.m.agents.get(reg.agent_id) : undefined;
    const id = reg.agent_id ?? this.m.agents.nextId();
    if (agent) {
      clearTimeout(agent.disconnectTimer);
      agent.disconnectTimer = undefined;
      const previous = agent.link;
      agent.link = null;
      previous?.cut();
      agent.reregisteredTime = now;
      this.m.logger.info(`agent ${id} (${reg.hostname}) re-registered`);
    } else {
      agent = { id, hostname: reg.hostname, workDir: reg.work_dir, total, totalJson: reg.resources, attributes: reg.attributes, link: null, registeredTime: now };
      if (reg.agent_id) agent.reregisteredTime = now;
      const wasKnown = this.m.agents.admit(agent);
      this.m.logger.info(`agent ${id} (${reg.hostname}) ${reg.agent_id ? `re-registered${wasKnown ? '' : ' (unknown to this master)'}` : 'registered'}`);
      this.m.saveRegistry();
    }
    agent.link = stream;
    const record = agent;
    stream.onClose(() => {
      if (record.link === stream) this.disconnected(record);
    });
    this.learnFromAgent(agent, reg);
    stream.send({ type: 'REGISTERED', agent_id: id, master_id: this.m.masterId } satisfies AgentCommand);
  }

  /** Takes in the frameworks and tasks an agent reports, as a master does after failover. */
  private learnFromAgent(agent: AgentRecord, reg: AgentRegistration): void {
    for (const info of reg.frameworks) {
      const id = info.id?.value;
      if (!id || this.m.frameworks.has(id)) continue;
      if (this.m.frameworks.isRemoved(id)) {
        agent.link?.send({ type: 'SHUTDOWN_FRAMEWORK', framework_id: id } satisfies AgentCommand);
        continue;
      }
      const traits = frameworkTraits(info);
      if (!traits.ok) continue;
      // Like Mesos, no failover timeout runs for a framework known only from agents: it is kept
      // until it re-subscribes or is torn down.
      this.m.frameworks.add({ id, info, traits: traits.traits, suppressedRoles: new Set(), stream: null, state: 'recovered', registeredTime: this.m.now() });
      this.m.logger.info(`learnt framework ${id} (${info.name}) from agent ${agent.id}`);
    }
    const reported = new Set<string>();
    for (const r of reg.tasks) {
      reported.add(`${r.framework_id}/${r.task.task_id.value}`);
      if (this.m.frameworks.isRemoved(r.framework_id)) continue;
      let t = this.m.tasks.get(r.framework_id, r.task.task_id.value);
      if (!t) {
        t = this.m.tasks.add(r.framework_id, agent.id, r.task, fromResources(r.task.resources).bag, r.executor_id, r.group_executor?.executor_id.value);
        if (r.group_executor) {
          const executorId = r.group_executor.executor_id.value;
          const e = this.m.tasks.executor(r.framework_id, agent.id, executorId)
            ?? { frameworkId: r.framework_id, agentId: agent.id, executorId, info: r.group_executor, resources: fromResources(r.group_executor.resources).bag, taskIds: [] };
          if (!e.taskIds.includes(t.taskId)) e.taskIds.push(t.taskId);
          this.m.tasks.setExecutor(e);
        }
      }
      t.directory = r.directory;
      this.m.tasks.setState(t, r.state, r.latest_status);
    }
    // Tasks this master launched there that the agent does not report are gone (a RUN_TASK lost
    // with a broken link, say), as a Mesos master reports them when an agent re-registers.
    for (const t of this.m.tasks.onAgent(agent.id)) {
      if (reported.has(`${t.frameworkId}/${t.taskId}`) || isTerminal(t.state)) continue;
      this.m.sendMasterUpdate(this.m.frameworks.get(t.frameworkId), {
        task_id: { value: t.taskId }, agent_id: { value: agent.id }, state: 'TASK_GONE', source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION',
        message: 'Task is unknown to the agent that re-registered', timestamp: this.m.now() / 1000,
      });
    }
  }

  /**
   * A framework (re-)subscribed: the connected agents running its tasks get its new FrameworkInfo
   * (as Mesos sends UpdateFrameworkMessage), so what they report after a master failover is current.
   */
  frameworkUpdated(frameworkId: string, info: FrameworkInfo): void {
    for (const a of this.m.agents.all()) if (a.link && this.hasFramework(a.id, frameworkId)) a.link.send({ type: 'UPDATE_FRAMEWORK', framework: info } satisfies AgentCommand);
  }

  private hasFramework(agentId: string, frameworkId: string): boolean {
    return this.m.tasks.onAgent(agentId).some((t) => t.frameworkId === frameworkId);
  }

  private disconnected(agent: AgentRecord): void {
    if (this.m.isStopped()) return;
    agent.link = null;
    this.m.logger.warn(`agent ${agent.id} (${agent.hostname}) disconnected; unreachable in ${this.m.agentDisconnectTimeoutMs} ms unless it re-registers`);
    this.m.offers.rescindOnAgent(agent.id, `agent ${agent.id} disconnected`);
    agent.disconnectTimer = setTimeout(() => this.markUnreachable(agent.id), this.m.agentDisconnectTimeoutMs);
  }

  /** The agent is treated as partitioned away: its tasks become UNREACHABLE (LOST for others). */
  markUnreachable(agentId: string): boolean {
    return this.remove(agentId, 'unreachable');
  }

  /** The operator says the agent is gone for good: its tasks become GONE_BY_OPERATOR (LOST for others). */
  markGone(agentId: string): boolean {
    return this.remove(agentId, 'gone');
  }

  private remove(agentId: string, how: 'unreachable' | 'gone'): boolean {
    const agent = this.m.agents.remove(agentId, how, this.m.now());
    if (!agent) {
      if (how === 'gone' && this.m.agents.unreachableToGone(agentId, this.m.now())) {
        this.m.saveRegistry();
        return true;
      }
      return false;
    }
    clearTimeout(agent.disconnectTimer);
    this.m.saveRegistry();
    this.m.offers.rescindOnAgent(agentId, `agent ${agentId} removed`);
    this.m.offers.filters.clearAgent(agentId);
    const state: TaskState = how === 'gone' ? 'TASK_GONE_BY_OPERATOR' : 'TASK_UNREACHABLE';
    const reason = how === 'gone' ? 'REASON_AGENT_REMOVED_BY_OPERATOR' : 'REASON_AGENT_REMOVED';
    this.m.logger.warn(`agent ${agentId} (${agent.hostname}) is ${how}: its tasks become ${state}`);
    for (const t of this.m.tasks.onAgent(agentId)) {
      if (isTerminal(t.state)) continue;
      // UNREACHABLE and GONE_BY_OPERATOR are not terminal: the task stays known (reconciliation
      // reports it) but no longer uses resources anywhere.
      this.m.sendMasterUpdate(this.m.frameworks.get(t.frameworkId), {
        task_id: { value: t.taskId }, agent_id: { value: agentId }, state, source: 'SOURCE_MASTER', reason,
        message: `Agent ${agent.hostname} is ${how}`, timestamp: this.m.now() / 1000,
      });
    }
    for (const fw of this.m.frameworks.all()) this.m.send(fw, events.failure(agentId));
    if (agent.link) {
      const link = agent.link;
      agent.link = null;
      link.send({ type: 'SHUTDOWN', message: `Agent ${agentId} was marked ${how}` } satisfies AgentCommand);
      link.end();
    }
    return true;
  }

  /** An agent's status update: recorded, then forwarded to the framework (faults applied). */
  statusUpdate(u: AgentStatusUpdate): { ok: boolean; message?: string } {
    const agent = this.m.agents.get(u.agent_id);
    if (!agent?.link) return { ok: false, message: `Agent ${u.agent_id} is not registered with this master` };
    const fw = this.m.frameworks.get(u.framework_id);
    if (!fw && this.m.frameworks.isRemoved(u.framework_id)) {
      agent.link.send({ type: 'SHUTDOWN_FRAMEWORK', framework_id: u.framework_id } satisfies AgentCommand);
      return { ok: true };
    }
    const t = this.m.tasks.get(u.framework_id, u.status.task_id.value);
    if (t) {
      this.m.tasks.setState(t, u.latest_state, u.status);
      t.statusUpdateState = u.status.state;
      t.statusUpdateUuid = u.status.uuid;
      if (u.directory) t.directory = u.directory;
    }
    if (fw) this.deliverUpdate(fw.id, u.status);
    return { ok: true };
  }

  /**
   * Forwards an agent's update, delayed or duplicated when those faults are on. The framework is
   * looked up again at delivery: it may have been removed or have failed over during the delay.
   */
  private deliverUpdate(frameworkId: string, status: TaskStatus): void {
    const deliver = () => {
      const fw = this.m.frameworks.get(frameworkId);
      if (!fw) return;
      const event = events.update({ ...status, state: stateForFramework(status.state, fw.traits.partitionAware) });
      this.m.send(fw, event);
      if (this.m.faults.duplicate) this.m.send(fw, event);
    };
    if (this.m.faults.delayMs > 0) {
      const timer = setTimeout(() => {
        this.pendingDeliveries.delete(timer);
        deliver();
      }, this.m.faults.delayMs);
      this.pendingDeliveries.add(timer);
    } else deliver();
  }

  /** A task group's executor ended: FAILURE with its raw waitpid status, as Mesos sends for non-command executors. */
  executorExited(e: AgentExecutorExited): { ok: boolean; message?: string } {
    if (!this.m.agents.get(e.agent_id)?.link) return { ok: false, message: `Agent ${e.agent_id} is not registered with this master` };
    this.m.tasks.removeExecutor(e.framework_id, e.agent_id, e.executor_id);
    const fw = this.m.frameworks.get(e.framework_id);
    if (fw) this.m.send(fw, events.failure(e.agent_id, { executorId: e.executor_id, status: e.status }));
    return { ok: true };
  }

  /** The master stops: delayed updates are dropped and links cut, as a crashed master's would be. */
  stop(): void {
    this.pendingDeliveries.forEach((t) => clearTimeout(t));
    for (const a of this.m.agents.all()) {
      clearTimeout(a.disconnectTimer);
      a.link?.cut();
    }
  }
}
