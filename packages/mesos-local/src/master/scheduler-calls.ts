import type { Logger } from '@msched/logging';
import type { AgentCommand } from '../protocol/agent-link';
import { events } from '../protocol/events';
import type { SchedulerEvent, TaskStatus } from '../protocol/mesos-types';
import type { SchedulerCall } from '../protocol/scheduler-calls';
import { isTerminal } from '../protocol/task-states';
import { planAccept } from './accept-plan';
import type { AgentBook } from './agent-book';
import type { OfferBook } from './offer-book';
import { reconcileAnswers } from './reconcile';
import type { FrameworkRecord } from './records';
import type { TaskBook } from './task-book';

/** What the scheduler calls act on: the coordinator's books and the few acts it owns. */
export interface SchedulerCallContext {
  readonly logger: Logger;
  readonly offers: OfferBook;
  readonly tasks: TaskBook;
  readonly agents: AgentBook;
  now(): number;
  send(fw: FrameworkRecord, event: SchedulerEvent): void;
  /** A master-made update: no uuid, not acknowledged; terminal ones end the task at once. */
  sendMasterUpdate(fw: FrameworkRecord | undefined, status: TaskStatus): void;
  removeFramework(fw: FrameworkRecord, reason: string): void;
  /** Runs an allocation cycle promptly (after REVIVE), not at the next interval. */
  allocateSoon(): void;
}

/**
 * The calls of a subscribed framework (everything but SUBSCRIBE), each as the real master answers
 * it: ACCEPT launches on the agents, KILL and SHUTDOWN reach them, DECLINE, REVIVE and SUPPRESS
 * shape the offers, ACKNOWLEDGE goes to the agent, RECONCILE answers from what the master knows.
 */
export class SchedulerCalls {
  constructor(private readonly m: SchedulerCallContext) {}

  /** Runs one validated call of a subscribed framework. */
  execute(fw: FrameworkRecord, call: Exclude<SchedulerCall, { type: 'SUBSCRIBE' }>): void {
    switch (call.type) {
      case 'TEARDOWN':
        this.m.logger.info(`framework ${fw.id} tore itself down`);
        return this.m.removeFramework(fw, 'TEARDOWN');
      case 'ACCEPT':
        return this.accept(fw, call);
      case 'DECLINE':
        for (const id of call.offerIds) {
          const o = this.m.offers.get(id);
          if (!o || o.frameworkId !== fw.id) {
            this.m.logger.debug(`DECLINE of unknown offer ${id} by ${fw.id} ignored`);
            continue;
          }
          this.m.offers.remove(o);
          this.m.offers.filters.add(fw.id, o.agentId, o.resources, call.filters.refuse_seconds ?? 5, this.m.now());
        }
        return;
      case 'REVIVE': {
        const roles = call.roles.length ? call.roles : fw.traits.roles;
        roles.forEach((r) => fw.suppressedRoles.delete(r));
        this.m.offers.filters.clearFramework(fw.id);
        this.m.allocateSoon();
        return;
      }
      case 'SUPPRESS': {
        const roles = call.roles.length ? call.roles : fw.traits.roles;
        roles.forEach((r) => fw.suppressedRoles.add(r));
        return;
      }
      case 'KILL':
        return this.kill(fw, call.taskId, call.agentId, call.killPolicy);
      case 'SHUTDOWN':
        return this.shutdownExecutor(fw, call.agentId, call.executorId);
      case 'ACKNOWLEDGE':
        return this.acknowledge(fw, call.agentId, call.taskId, call.uuid);
      case 'RECONCILE':
        return this.reconcile(fw, call.tasks);
      case 'MESSAGE':
        this.m.logger.info(`MESSAGE for executor ${call.executorId} of ${fw.id} dropped: command and default executors ignore framework messages`);
        return;
      case 'REQUEST':
        return; // The allocator ignores resource requests, as Mesos' hierarchical allocator does.
      case 'UNSUPPORTED':
      case 'UNKNOWN':
        return;
    }
  }

  private accept(fw: FrameworkRecord, call: Extract<SchedulerCall, { type: 'ACCEPT' }>): void {
    const plan = planAccept({
      frameworkId: fw.id,
      offerIds: call.offerIds,
      operations: call.operations,
      lookupOffer: (id) => this.m.offers.get(id),
      taskIdInUse: (taskId) => this.m.tasks.has(fw.id, taskId),
      executorInUse: (agentId, executorId) => !!this.m.tasks.executor(fw.id, agentId, executorId),
    });
    const now = this.m.now();
    if (plan.kind === 'invalid-offers') {
      this.m.logger.warn(`ACCEPT by ${fw.id} with invalid offers: ${plan.error}`);
      plan.validOfferIds.forEach((id) => {
        const o = this.m.offers.get(id);
        if (o) this.m.offers.remove(o);
      });
      for (const t of plan.tasks) {
        this.m.sendMasterUpdate(fw, {
          task_id: t.task_id, agent_id: t.agent_id, state: 'TASK_DROPPED', source: 'SOURCE_MASTER', reason: 'REASON_INVALID_OFFERS',
          message: `Task launched with invalid offers: ${plan.error}`, timestamp: now / 1000,
        });
      }
      return;
    }
    plan.offerIds.forEach((id) => this.m.offers.remove(this.m.offers.get(id)!));
    if (plan.ignoredOperations.length) this.m.logger.warn(`ACCEPT by ${fw.id}: operations not supported by the local cluster were ignored: ${plan.ignoredOperations.join(', ')}`);
    for (const r of plan.rejections) {
      this.m.sendMasterUpdate(fw, {
        task_id: r.task.task_id, agent_id: r.task.agent_id, state: 'TASK_ERROR', source: 'SOURCE_MASTER', reason: r.reason, message: r.message, timestamp: now / 1000,
      });
    }
    const agent = this.m.agents.get(plan.agentId);
    for (const launch of plan.launches) {
      if (launch.kind === 'task') {
        this.m.tasks.add(fw.id, plan.agentId, launch.task, launch.resources, launch.task.task_id.value);
        agent?.link?.send({ type: 'RUN_TASK', framework: fw.info, task: launch.task } satisfies AgentCommand);
      } else {
        const executorId = launch.executor.executor_id.value;
        const info = { ...launch.executor, framework_id: { value: fw.id } };
        this.m.tasks.setExecutor({
          frameworkId: fw.id, agentId: plan.agentId, executorId, info, resources: launch.executorResources, taskIds: launch.tasks.map((t) => t.task.task_id.value),
        });
        launch.tasks.forEach((t) => this.m.tasks.add(fw.id, plan.agentId, t.task, t.resources, executorId, executorId));
        agent?.link?.send({ type: 'RUN_TASK_GROUP', framework: fw.info, executor: info, tasks: launch.tasks.map((t) => t.task) } satisfies AgentCommand);
      }
    }
    this.m.offers.filters.add(fw.id, plan.agentId, plan.unused, call.filters.refuse_seconds ?? 5, now);
  }

  private kill(fw: FrameworkRecord, taskId: string, agentId: string | undefined, killPolicy: unknown): void {
    const t = this.m.tasks.get(fw.id, taskId);
    if (!t) {
      // Mesos answers a KILL of an unknown task with an explicit reconciliation of it.
      this.m.logger.info(`KILL of unknown task ${taskId} by ${fw.id}: reconciling it`);
      return this.reconcile(fw, [{ taskId, agentId }]);
    }
    if (isTerminal(t.state)) return;
    const link = this.m.agents.get(t.agentId)?.link;
    if (!link) {
      this.m.logger.warn(`cannot kill task ${taskId} of ${fw.id}: agent ${t.agentId} is not connected`);
      return;
    }
    link.send({ type: 'KILL_TASK', framework_id: fw.id, task_id: taskId, ...(killPolicy ? { kill_policy: killPolicy as never } : {}) } satisfies AgentCommand);
  }

  private shutdownExecutor(fw: FrameworkRecord, agentId: string, executorId: string): void {
    const group = this.m.tasks.executor(fw.id, agentId, executorId);
    const taskId = group ? group.taskIds[0] : this.m.tasks.get(fw.id, executorId)?.agentId === agentId ? executorId : undefined;
    if (taskId === undefined) {
      this.m.logger.info(`SHUTDOWN of unknown executor ${executorId} on ${agentId} by ${fw.id} ignored`);
      return;
    }
    // Killing one task of a group kills the group, so one KILL shuts the executor down.
    this.kill(fw, taskId, agentId, undefined);
  }

  private acknowledge(fw: FrameworkRecord, agentId: string, taskId: string, uuid: string): void {
    const agent = this.m.agents.get(agentId);
    if (!agent?.link) {
      this.m.logger.warn(`cannot forward acknowledgement of ${taskId} (${fw.id}): agent ${agentId} is not connected`);
      return;
    }
    agent.link.send({ type: 'ACKNOWLEDGE', framework_id: fw.id, task_id: taskId, uuid } satisfies AgentCommand);
    const t = this.m.tasks.get(fw.id, taskId);
    if (t && t.statusUpdateUuid === uuid && t.statusUpdateState && isTerminal(t.statusUpdateState)) this.m.tasks.complete(t);
  }

  private reconcile(fw: FrameworkRecord, requested: ReadonlyArray<{ taskId: string; agentId?: string }>): void {
    const answers = reconcileAnswers({
      partitionAware: fw.traits.partitionAware,
      knownTasks: this.m.tasks.ofFramework(fw.id).map((t) => ({
        taskId: t.taskId, agentId: t.agentId, executorId: t.executorId, state: t.state, latest: t.statuses[t.statuses.length - 1],
      })),
      agentStanding: (id) => this.m.agents.standing(id),
      anyAgentRecovering: this.m.agents.anyRecovering,
      now: this.m.now(),
    }, requested);
    answers.forEach((s) => this.m.send(fw, events.update(s)));
  }
}
