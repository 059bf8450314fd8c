import type { Logger } from '@msched/logging';
import type { AgentCommand, AgentRegistration } from '../protocol/agent-link';
import type { Attribute, Resource, TaskState, TaskStatus } from '../protocol/mesos-types';
import type { MasterDetector } from '../zk/master-detector';
import { MasterSession } from './master-session';
import { destroyOrphanContainers } from './orphan-containers';
import type { UpdateRetry } from './status-update-manager';
import { TaskRunner } from './task-runner';

export interface AgentOptions {
  /** The agent's (fake, unresolvable) host name: agent1, agent2... */
  hostname: string;
  /** This agent's own work dir; sandboxes live under it. */
  workDir: string;
  resources: Resource[];
  attributes?: Attribute[];
  detector: MasterDetector;
  /** Re-send backoff of unacknowledged updates (Mesos: 10 s doubling to 10 min). */
  statusUpdateRetry?: UpdateRetry;
  /** Grace period between SIGTERM and SIGKILL when the KILL names none (Mesos' command executor: 3 s). */
  defaultKillGraceMs?: number;
  /** Longest wait between attempts to (re-)register. */
  maxReconnectDelayMs?: number;
  /**
   * Sandbox garbage collection (Mesos' --gc_delay): a task's run directory is removed this long
   * after its terminal update was acknowledged. Undefined keeps sandboxes until the work dir goes.
   */
  sandboxGcDelayMs?: number;
  /** Environment tasks inherit (default: this process's). */
  inheritedEnv?: NodeJS.ProcessEnv;
  /** Size bound of the fetcher cache (Mesos' --fetcher_cache_size; default 2 GB, 0 disables it). */
  fetcherCacheBytes?: number;
  logger: Logger;
}

/**
 * A Mesos agent: registers with the leading master (found by its detector), runs each task's
 * CommandInfo as a real process group in its sandbox, reports status updates reliably, and
 * re-registers with whichever master leads next, reporting its tasks so that master learns them.
 */
export class LocalAgent {
  private stopped = false;
  private readonly logger: Logger;
  private readonly session: MasterSession;
  private readonly runner: TaskRunner;

  constructor(private readonly opts: AgentOptions) {
    this.logger = opts.logger.child({ agent: opts.hostname });
    this.session = new MasterSession({
      hostname: opts.hostname, detector: opts.detector, maxReconnectDelayMs: opts.maxReconnectDelayMs, logger: this.logger,
      registration: (agentId) => this.registration(agentId),
      onCommand: (cmd) => this.onCommand(cmd),
      onRegistered: () => this.runner.flushUpdates(),
    });
    this.runner = new TaskRunner({
      hostname: opts.hostname, workDir: opts.workDir, agentId: () => this.session.agentId,
      post: (message) => this.session.post(message),
      sendUpdate: (frameworkId, status, latestState, directory) => this.postUpdate(frameworkId, status, latestState, directory),
      statusUpdateRetry: opts.statusUpdateRetry, defaultKillGraceMs: opts.defaultKillGraceMs, sandboxGcDelayMs: opts.sandboxGcDelayMs,
      inheritedEnv: opts.inheritedEnv, fetcherCacheBytes: opts.fetcherCacheBytes, logger: this.logger,
    });
  }

  get hostname(): string {
    return this.opts.hostname;
  }

  get workDir(): string {
    return this.opts.workDir;
  }

  /** What the fetcher cache did so far (hits, misses, bypasses, evictions, failures). */
  get fetcherCounters() {
    return this.runner.fetcherCounters;
  }

  /** Assigned by the first master this agent registers with; kept across masters. */
  get agentId(): string | null {
    return this.session.agentId;
  }

  get isRegistered(): boolean {
    return this.session.isRegistered;
  }

  get running(): boolean {
    return !this.stopped;
  }

  /** Pids of every live task process, for tests and the exit handler. */
  taskPids(): number[] {
    return this.runner.taskPids();
  }

  start(): void {
    // Recovery first, as a Mesos agent recovers before it registers: nothing of a predecessor runs on.
    const orphans = destroyOrphanContainers(this.opts.workDir);
    if (orphans.length) {
      const containers = [...new Set(orphans.map((o) => o.containerId))];
      this.logger.warn(`destroyed ${containers.length} orphan container(s) left by a previous agent on ${this.opts.workDir} (${orphans.length} process(es)): ${containers.join(', ')}`);
    }
    this.runner.collectPredecessorSandboxes();
    this.session.start();
  }

  /** Resolves once registered with a master (again), or rejects after `timeoutMs`. */
  waitRegistered(timeoutMs: number): Promise<void> {
    return this.session.waitRegistered(timeoutMs);
  }

  private registration(agentId: string | null): AgentRegistration {
    return {
      ...(agentId ? { agent_id: agentId } : {}),
      hostname: this.opts.hostname,
      resources: this.opts.resources,
      attributes: this.opts.attributes ?? [],
      work_dir: this.opts.workDir,
      ...this.runner.registrationReport(),
    };
  }

  private onCommand(cmd: Exclude<AgentCommand, { type: 'REGISTERED' }>): void {
    switch (cmd.type) {
      case 'RUN_TASK':
        return this.runner.runTask(cmd.framework, cmd.task);
      case 'RUN_TASK_GROUP':
        return this.runner.runTaskGroup(cmd.framework, cmd.executor, cmd.tasks);
      case 'KILL_TASK':
        return this.runner.killTask(cmd.framework_id, cmd.task_id, cmd.kill_policy);
      case 'ACKNOWLEDGE':
        return this.runner.acknowledge(cmd.framework_id, cmd.task_id, cmd.uuid);
      case 'SHUTDOWN_FRAMEWORK':
        return this.runner.shutdownFramework(cmd.framework_id);
      case 'UPDATE_FRAMEWORK':
        return this.runner.updateFramework(cmd.framework);
      case 'SHUTDOWN':
        this.logger.warn(`master shut this agent down: ${cmd.message}`);
        void this.stop();
        return;
    }
  }

  private postUpdate(frameworkId: string, status: TaskStatus, latestState: TaskState, directory: string | undefined): void {
    // Not registered: the status update manager re-sends it after the next registration.
    void this.session.post((agentId) => ({
      type: 'STATUS_UPDATE',
      update: { agent_id: agentId, framework_id: frameworkId, status, latest_state: latestState, ...(directory !== undefined ? { directory } : {}) },
    }));
  }

  // ------------------------------------------------------------------ lifecycle

  /** Stops the agent: every task is killed (SIGTERM, SIGKILL after `graceMs`) and the link closed. */
  async stop(graceMs = 1000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const killing = this.runner.stop(graceMs);
    this.session.stop();
    await killing;
  }

  /** Fault injection: the host dies. Every task process is SIGKILLed at once, nothing is reported. */
  async crash(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.runner.crash();
    this.session.stop();
    await this.runner.reapAll();
  }

  /** Synchronous SIGKILL of every task, for a process 'exit' handler. */
  killAllNow(): void {
    this.runner.killAllNow();
  }
}
