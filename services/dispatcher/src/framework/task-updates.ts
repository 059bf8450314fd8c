import { setTimeout as sleep } from 'node:timers/promises';
import { fetchTaskSandboxes, type FailureEvent, type SandboxLookup, type SchedulerClient, type TaskStatus } from '@msched/mesos';
import { readGangResult, rendezvousPath, type GangResult } from '@msched/mpi';
import type { Reconciler } from '../reconcile/reconciler';
import type { GangInput } from '../status/gang-transaction';
import { isTerminalState } from '../status/task-order';
import { jobOfTask } from '../store/job-of-task';
import type { Gangs } from './gangs';
import type { LeaderContext } from './leader-context';
import { readTestFaults } from './test-faults';

/**
 * Task updates and agent failures from Mesos. An update is written (with its consequences for the
 * gang) in one transaction, the resulting KILLs are sent, and only then is it acknowledged; an
 * update that could not be written is not acknowledged, so Mesos sends it again.
 */
export class TaskUpdates {
  /** Tasks whose sandbox directory is recorded. */
  private readonly sandboxKnown = new Set<string>();
  /** Tasks neither the master nor their agent listed once they ran: asked again only when they end. */
  private readonly sandboxUnlisted = new Set<string>();

  /** The deliberately broken order of test-faults.ts (tests of the chaos checker only). */
  private readonly ackFirst: boolean;

  constructor(
    private readonly ctx: LeaderContext, private readonly gangs: Gangs, private readonly reconciler: Reconciler,
    private readonly lookupSandboxes: SandboxLookup = fetchTaskSandboxes,
  ) {
    this.ackFirst = readTestFaults(process.env, ctx.cfg.environment).ackBeforeWrite;
  }

  async update(client: SchedulerClient, status: TaskStatus): Promise<void> {
    const taskId = status.task_id.value;
    if (this.ackFirst) await this.acknowledge(client, status);
    this.ctx.metrics.taskStates.inc({ state: status.state });
    this.reconciler.answered(taskId);
    const owner = await jobOfTask(this.ctx.ds, taskId);
    if (!owner) {
      // Not ours (never launched by this installation): it must not run on our resources.
      if (!isTerminalState(status.state)) {
        this.ctx.log.warn(`update ${status.state} for unknown task ${taskId}: killing it`);
        await client.kill(taskId, status.agent_id?.value).catch(() => undefined);
      }
      if (!this.ackFirst) await this.acknowledge(client, status);
      return;
    }
    if (isTerminalState(status.state)) this.gangs.taskEnded(taskId);
    if (owner.sandboxKnown) this.sandboxKnown.add(taskId);
    const input: GangInput = {
      type: 'update',
      status,
      result: isTerminalState(status.state) ? await this.gangResult(owner.jobId, owner.attempt) : undefined,
      sandboxes: this.sandboxKnown.has(taskId) ? undefined : await this.sandboxes(status),
    };
    try {
      const r = await this.gangs.apply(owner.jobId, input);
      if (r.verdict && r.verdict.kind !== 'record') this.ctx.log.debug(`update ${status.state} of ${taskId} not recorded: ${r.verdict.why}`);
    } catch (e) {
      // Not written, so not acknowledged: the agent sends it again; a master-made one we ask for again.
      this.ctx.log.error(`recording ${status.state} of ${taskId} failed: ${(e as Error).message}`);
      if (this.ackFirst) return; // the broken build believes the update is handled
      this.reconciler.add([{ taskId, ...(status.agent_id ? { agentId: status.agent_id.value } : {}) }]);
      return;
    }
    if (!this.ackFirst) await this.acknowledge(client, status);
  }

  /** FAILURE without an executor id: the agent itself is lost. (With one, an executor ended: not ours to judge.) */
  async failure(f: FailureEvent['failure']): Promise<void> {
    if (f.executor_id || !f.agent_id) return;
    this.ctx.log.warn(`agent ${f.agent_id.value} was lost`);
    await this.gangs.agentLost(f.agent_id.value);
  }

  private async acknowledge(client: SchedulerClient, status: TaskStatus): Promise<void> {
    await client.acknowledge(status).catch((e: Error) => this.ctx.log.warn(`ACKNOWLEDGE of ${status.task_id.value} (${status.state}) failed; Mesos will send it again: ${e.message}`));
  }

  /** The launcher's verdict (exit code, failed rank, cause), if it published one. */
  private async gangResult(jobId: string, attempt: number): Promise<GangResult | undefined> {
    const zk = this.ctx.zk();
    if (!zk) return undefined;
    return readGangResult(zk, rendezvousPath(this.ctx.cfg.zookeeper.root, jobId, attempt)).catch((e: Error) => {
      this.ctx.log.warn(`reading the result of ${jobId} failed: ${e.message}`);
      return undefined;
    });
  }

  /**
   * Sandbox directories from the master (or the task's agent), asked once a task runs and again when
   * it ends, until known. A terminal update is worth a second try (a master failover, an agent that
   * answers late). What stays unknown is looked up again by the provisioner when it collects the
   * outputs, so a failure here delays nothing: it is logged and the update is recorded without it.
   */
  private async sandboxes(status: TaskStatus): Promise<Map<string, string> | undefined> {
    const taskId = status.task_id.value;
    const terminal = isTerminalState(status.state);
    if (status.state !== 'TASK_RUNNING' && !terminal) return undefined;
    if (!terminal && this.sandboxUnlisted.has(taskId)) return undefined;
    const masterUrl = this.ctx.client()?.masterUrl;
    const frameworkId = this.ctx.frameworkId();
    if (!masterUrl || !frameworkId) {
      if (terminal) this.ctx.log.warn(`sandbox of ${taskId} not looked up (${status.state}): no leading master known now; the provisioner looks it up when collecting outputs`);
      return undefined;
    }
    const tries = terminal ? 2 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        const found = await this.lookupSandboxes(masterUrl, frameworkId, this.ctx.cfg.dispatcher.callTimeoutMs, { taskId, agentId: status.agent_id?.value });
        // Only this task's directory is sure to be recorded (the gang's transaction writes its own
        // tasks'); other gangs' tasks listed here look theirs up on their own update.
        if (found.has(taskId)) this.sandboxKnown.add(taskId);
        else {
          this.sandboxUnlisted.add(taskId);
          if (terminal) this.ctx.log.warn(`sandbox of ${taskId} (${status.state}) is listed by neither the master nor agent ${status.agent_id?.value ?? '(unknown)'}; the provisioner looks again when collecting outputs`);
        }
        return found;
      } catch (e) {
        if (attempt >= tries) {
          this.ctx.log.warn(`sandbox lookup of ${taskId} (${status.state}) failed after ${attempt} tr${attempt === 1 ? 'y' : 'ies'}: ${(e as Error).message}; the provisioner looks again when collecting outputs`);
          return undefined;
        }
        await sleep(500);
      }
    }
  }
}
