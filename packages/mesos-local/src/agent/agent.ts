import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@msched/logging';
import type { AgentCommand, AgentRegistration } from '../protocol/agent-link';
import type {
  Attribute, DurationInfo, ExecutorInfo, FrameworkInfo, KillPolicy, Resource, StatusSource, TaskInfo, TaskState, TaskStatus,
} from '../protocol/mesos-types';
import { isTerminal } from '../protocol/task-states';
import type { MasterAddress, MasterDetector } from '../zk/master-detector';
import { commandLine } from './command-line';
import { containerRefusal } from './container-support';
import { DEFAULT_FETCHER_CACHE_BYTES, FetcherCache, type FetcherCounters } from './fetcher/fetcher-cache';
import { LinkRefused, MasterLink } from './master-link';
import { createRunDir, executorRunDir, groupTaskDir } from './sandbox';
import { StatusUpdateManager, UpdateRetry } from './status-update-manager';
import { taskEnvironment } from './task-environment';
import { TaskExit, TaskProcess } from './task-process';

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

interface TaskGroup {
  frameworkId: string;
  executor: ExecutorInfo;
  runDir: string;
  tasks: AgentTask[];
  killing: boolean;
}

interface AgentTask {
  frameworkId: string;
  taskId: string;
  info: TaskInfo;
  executorId: string;
  containerId: string;
  group?: TaskGroup;
  runDir: string;
  directory: string;
  state: TaskState;
  latest?: TaskStatus;
  process?: TaskProcess;
  killRequested: boolean;
  killGraceMs?: number;
  /** A terminal update has been generated; only its acknowledgement is awaited. */
  ended: boolean;
}

const taskKey = (fw: string, task: string) => `${fw}\u0000${task}`;

const SIGNAL_NAMES: Record<string, string> = { SIGTERM: 'Terminated', SIGKILL: 'Killed', SIGINT: 'Interrupt', SIGSEGV: 'Segmentation fault', SIGABRT: 'Aborted', SIGHUP: 'Hangup' };

function graceMs(d: DurationInfo | undefined): number | undefined {
  if (!d) return undefined;
  const n = Number(d.nanoseconds);
  return Number.isFinite(n) && n >= 0 ? n / 1e6 : undefined;
}

/**
 * A Mesos agent: registers with the leading master (found by its detector), runs each task's
 * CommandInfo as a real process group in its sandbox, reports status updates reliably, and
 * re-registers with whichever master leads next, reporting its tasks so that master learns them.
 */
export class LocalAgent {
  private id: string | null = null;
  private link: MasterLink | null = null;
  private connecting = false;
  private stopped = false;
  private reconnectTimer?: NodeJS.Timeout;
  private reconnectDelayMs = 50;
  private unsubscribe: () => void = () => {};
  private readonly frameworks = new Map<string, FrameworkInfo>();
  private readonly removedFrameworks = new Set<string>();
  private readonly tasks = new Map<string, AgentTask>();
  private readonly updates: StatusUpdateManager;
  private readonly logger: Logger;
  private registeredWaiters: Array<() => void> = [];
  private readonly fetcher: FetcherCache;

  constructor(private readonly opts: AgentOptions) {
    this.logger = opts.logger.child({ agent: opts.hostname });
    this.fetcher = new FetcherCache({ dir: join(opts.workDir, 'fetch-cache'), maxBytes: opts.fetcherCacheBytes ?? DEFAULT_FETCHER_CACHE_BYTES });
    this.updates = new StatusUpdateManager((fw, status) => this.postUpdate(fw, status), opts.statusUpdateRetry ?? { baseMs: 10_000, maxMs: 600_000 }, this.logger);
  }

  get hostname(): string {
    return this.opts.hostname;
  }

  get workDir(): string {
    return this.opts.workDir;
  }

  /** Assigned by the first master this agent registers with; kept across masters. */
  /** What the fetcher cache did so far (hits, misses, bypasses, evictions, failures). */
  get fetcherCounters(): Readonly<FetcherCounters> {
    return { ...this.fetcher.counters };
  }

  get agentId(): string | null {
    return this.id;
  }

  get isRegistered(): boolean {
    return !!this.link?.isOpen && this.id !== null;
  }

  get running(): boolean {
    return !this.stopped;
  }

  /** Pids of every live task process, for tests and the exit handler. */
  taskPids(): number[] {
    return [...this.tasks.values()].flatMap((t) => t.process?.remaining() ?? []);
  }

  start(): void {
    this.unsubscribe = this.opts.detector.onChange((leader) => this.leaderChanged(leader));
    void this.connect();
  }

  /** Resolves once registered with a master (again), or rejects after `timeoutMs`. */
  waitRegistered(timeoutMs: number): Promise<void> {
    if (this.isRegistered) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`agent ${this.hostname} did not register within ${timeoutMs} ms`)), timeoutMs);
      this.registeredWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  // ------------------------------------------------------------------ master link

  private leaderChanged(leader: MasterAddress | null): void {
    if (this.stopped) return;
    const cur = this.link?.address;
    if (this.link && !this.link.isClosed && (!leader || leader.host !== cur?.host || leader.port !== cur?.port)) {
      this.logger.info(`leading master changed to ${leader ? `${leader.host}:${leader.port}` : 'none'}: re-registering`);
      this.link.close();
      return;
    }
    if (!this.link) void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped || this.connecting || (this.link && !this.link.isClosed)) return;
    const address = this.opts.detector.current();
    if (!address) return; // The detector calls back when a leader appears.
    this.connecting = true;
    clearTimeout(this.reconnectTimer);
    const link: MasterLink = new MasterLink(address, this.registration(),
      (cmd) => {
        if (link === this.link) this.onCommand(cmd);
      },
      (why) => this.linkClosed(link, why));
    this.link = link;
    try {
      await link.ready;
    } catch (e) {
      if (this.link === link) this.link = null;
      const status = e instanceof LinkRefused ? ` (${e.status})` : '';
      this.logger.debug(`registering with ${address.host}:${address.port} failed${status}: ${(e as Error).message}`);
      this.scheduleReconnect();
    } finally {
      this.connecting = false;
    }
  }

  private linkClosed(link: MasterLink, why: string): void {
    if (link !== this.link) return;
    this.link = null;
    if (this.stopped) return;
    this.logger.info(`link to master closed (${why}); re-registering`);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connect(), this.reconnectDelayMs);
    this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, this.opts.maxReconnectDelayMs ?? 2000);
  }

  private registration(): AgentRegistration {
    const live = [...this.tasks.values()];
    const fwIds = new Set(live.map((t) => t.frameworkId));
    return {
      ...(this.id ? { agent_id: this.id } : {}),
      hostname: this.opts.hostname,
      resources: this.opts.resources,
      attributes: this.opts.attributes ?? [],
      work_dir: this.opts.workDir,
      frameworks: [...fwIds].flatMap((id) => (this.frameworks.has(id) ? [this.frameworks.get(id)!] : [])),
      tasks: live.map((t) => ({
        framework_id: t.frameworkId,
        task: t.info,
        executor_id: t.executorId,
        ...(t.group ? { group_executor: t.group.executor } : {}),
        state: t.state,
        ...(t.latest ? { latest_status: t.latest } : {}),
        directory: t.directory,
      })),
    };
  }

  private onCommand(cmd: AgentCommand): void {
    switch (cmd.type) {
      case 'REGISTERED':
        if (this.id && this.id !== cmd.agent_id) this.logger.warn(`master gave id ${cmd.agent_id} to agent ${this.id}`);
        this.id = cmd.agent_id;
        this.reconnectDelayMs = 50;
        this.logger.info(`registered as ${cmd.agent_id} with master ${cmd.master_id}`);
        this.updates.flush();
        this.registeredWaiters.splice(0).forEach((w) => w());
        return;
      case 'RUN_TASK':
        return this.runTask(cmd.framework, cmd.task);
      case 'RUN_TASK_GROUP':
        return this.runTaskGroup(cmd.framework, cmd.executor, cmd.tasks);
      case 'KILL_TASK':
        return this.killTask(cmd.framework_id, cmd.task_id, cmd.kill_policy);
      case 'ACKNOWLEDGE':
        if (this.updates.acknowledge(cmd.framework_id, cmd.task_id, cmd.uuid)) {
          const done = this.tasks.get(taskKey(cmd.framework_id, cmd.task_id));
          this.tasks.delete(taskKey(cmd.framework_id, cmd.task_id));
          if (done) this.scheduleSandboxGc(done);
        }
        return;
      case 'SHUTDOWN_FRAMEWORK':
        return this.shutdownFramework(cmd.framework_id);
      case 'UPDATE_FRAMEWORK':
        if (cmd.framework.id?.value) this.frameworks.set(cmd.framework.id.value, cmd.framework);
        return;
      case 'SHUTDOWN':
        this.logger.warn(`master shut this agent down: ${cmd.message}`);
        void this.stop();
        return;
    }
  }

  private postUpdate(frameworkId: string, status: TaskStatus): void {
    const link = this.link;
    const agentId = this.id;
    if (!link?.isOpen || !agentId) return; // Re-sent on the next registration.
    const task = this.tasks.get(taskKey(frameworkId, status.task_id.value));
    void link.post({
      type: 'STATUS_UPDATE',
      update: { agent_id: agentId, framework_id: frameworkId, status, latest_state: task?.state ?? status.state, ...(task ? { directory: task.directory } : {}) },
    }).then((code) => {
      // 409: this master no longer knows us (it failed over, or removed us): register again.
      if (code === 409 && link === this.link) link.close();
    });
  }

  // ------------------------------------------------------------------ tasks

  private newTask(frameworkId: string, info: TaskInfo, executorId: string, containerId: string, runDir: string, directory: string, group?: TaskGroup): AgentTask {
    const t: AgentTask = {
      frameworkId, taskId: info.task_id.value, info, executorId, containerId, runDir, directory, group, state: 'TASK_STAGING', killRequested: false, ended: false,
    };
    this.tasks.set(taskKey(frameworkId, t.taskId), t);
    return t;
  }

  private runTask(framework: FrameworkInfo, info: TaskInfo): void {
    const frameworkId = framework.id!.value;
    this.frameworks.set(frameworkId, framework);
    this.removedFrameworks.delete(frameworkId);
    const containerId = randomUUID();
    const executorId = info.task_id.value;
    const runDir = executorRunDir(this.opts.workDir, this.id!, frameworkId, executorId, containerId);
    const task = this.newTask(frameworkId, info, executorId, containerId, runDir, runDir);
    void this.launch([task], async () => createRunDir(runDir));
  }

  private runTaskGroup(framework: FrameworkInfo, executor: ExecutorInfo, infos: TaskInfo[]): void {
    const frameworkId = framework.id!.value;
    this.frameworks.set(frameworkId, framework);
    this.removedFrameworks.delete(frameworkId);
    const executorId = executor.executor_id.value;
    const runDir = executorRunDir(this.opts.workDir, this.id!, frameworkId, executorId, randomUUID());
    const group: TaskGroup = { frameworkId, executor, runDir, tasks: [], killing: false };
    for (const info of infos) group.tasks.push(this.newTask(frameworkId, info, executorId, randomUUID(), runDir, groupTaskDir(runDir, info.task_id.value), group));
    void this.launch(group.tasks, async () => {
      await createRunDir(runDir);
      await Promise.all(group.tasks.map((t) => mkdir(t.directory, { recursive: true })));
    });
  }

  /** Prepares the sandbox(es), fetches URIs, then starts every task together (a group starts as one). */
  private async launch(tasks: AgentTask[], prepare: () => Promise<void>): Promise<void> {
    const refusal = tasks.map((t) => containerRefusal(t.info)).find((r) => r !== undefined);
    if (refusal) {
      this.logger.warn(refusal);
      tasks.forEach((t) => this.report(t, 'TASK_FAILED', 'SOURCE_AGENT', { reason: 'REASON_CONTAINER_LAUNCH_FAILED', message: `Failed to launch container: ${refusal}` }));
      this.groupMaybeExited(tasks[0].group);
      return;
    }
    try {
      await prepare();
      for (const t of tasks) await this.fetcher.fetchAll(t.info.command?.uris ?? [], t.directory);
    } catch (e) {
      const message = `Failed to launch container: Failed to fetch all URIs for container '${tasks[0].containerId}': ${(e as Error).message}`;
      this.logger.warn(message);
      tasks.forEach((t) => this.report(t, 'TASK_FAILED', 'SOURCE_AGENT', { reason: 'REASON_CONTAINER_LAUNCH_FAILED', message }));
      this.groupMaybeExited(tasks[0].group);
      return;
    }
    if (this.stopped) return;
    if (tasks.some((t) => t.killRequested)) {
      tasks.forEach((t) => this.report(t, 'TASK_KILLED', 'SOURCE_AGENT', { reason: 'REASON_TASK_KILLED_DURING_LAUNCH', message: 'Task killed before it started' }));
      this.groupMaybeExited(tasks[0].group);
      return;
    }
    tasks.forEach((t) => this.report(t, 'TASK_STARTING', 'SOURCE_EXECUTOR'));
    await Promise.all(tasks.map((t) => this.startProcess(t)));
  }

  private async startProcess(t: AgentTask): Promise<void> {
    const spec = commandLine(t.info.command ?? {});
    if ('error' in spec) {
      this.report(t, 'TASK_FAILED', 'SOURCE_EXECUTOR', { reason: 'REASON_COMMAND_EXECUTOR_FAILED', message: spec.error });
      return this.taskEnded(t, false);
    }
    const fw = this.frameworks.get(t.frameworkId);
    let proc: TaskProcess;
    try {
      proc = new TaskProcess(spec, {
        cwd: t.directory,
        stdoutPath: join(t.directory, 'stdout'),
        stderrPath: join(t.directory, 'stderr'),
        containerId: t.containerId,
        env: taskEnvironment({
          inherited: this.opts.inheritedEnv ?? process.env,
          agentId: this.id!, agentHostname: this.opts.hostname, agentEndpoint: `127.0.0.1:5051`,
          frameworkId: t.frameworkId, executorId: t.executorId, taskId: t.taskId, containerId: t.containerId,
          sandbox: t.directory, checkpoint: fw?.checkpoint ?? false, shutdownGraceSeconds: 5, command: t.info.command,
        }),
      });
    } catch (e) {
      this.report(t, 'TASK_FAILED', 'SOURCE_EXECUTOR', { reason: 'REASON_COMMAND_EXECUTOR_FAILED', message: `Failed to launch command: ${(e as Error).message}` });
      return this.taskEnded(t, false);
    }
    t.process = proc;
    try {
      await proc.started;
    } catch (e) {
      this.report(t, 'TASK_FAILED', 'SOURCE_EXECUTOR', { reason: 'REASON_COMMAND_EXECUTOR_FAILED', message: `Failed to launch command: ${(e as Error).message}` });
      return this.taskEnded(t, false);
    }
    if (this.stopped) return;
    // A KILL that came while the process was being spawned has already started terminating it.
    if (!t.killRequested) this.report(t, 'TASK_RUNNING', 'SOURCE_EXECUTOR');
    this.logger.debug(`task ${t.taskId} running as pid ${proc.pid} in ${t.directory}`);
    const exit = await proc.exited;
    await proc.reap(); // No orphans: what the command left behind goes with it, as Mesos destroys the container.
    if (this.stopped) return;
    this.settle(t, exit);
  }

  private settle(t: AgentTask, exit: TaskExit): void {
    const how = exit.signal ? `Command terminated with signal ${SIGNAL_NAMES[exit.signal] ?? exit.signal}` : `Command exited with status ${exit.code}`;
    if (t.killRequested) this.report(t, 'TASK_KILLED', 'SOURCE_EXECUTOR', { message: how });
    else if (exit.code === 0) this.report(t, 'TASK_FINISHED', 'SOURCE_EXECUTOR', { message: how });
    else this.report(t, 'TASK_FAILED', 'SOURCE_EXECUTOR', { message: how });
    this.taskEnded(t, exit.code === 0 && !t.killRequested);
  }

  /** A group dies together: one task failing or killed kills the others (Mesos' default executor). */
  private taskEnded(t: AgentTask, succeeded: boolean): void {
    const g = t.group;
    if (!g) return;
    if (!succeeded && !g.killing) {
      g.killing = true;
      for (const other of g.tasks) if (other !== t) this.killOne(other, this.opts.defaultKillGraceMs ?? 3000);
    }
    this.groupMaybeExited(g);
  }

  private groupMaybeExited(g: TaskGroup | undefined): void {
    if (!g || !g.tasks.every((x) => x.ended) || this.stopped) return;
    const allFinished = g.tasks.every((x) => x.state === 'TASK_FINISHED');
    const link = this.link;
    if (!link?.isOpen || !this.id) return;
    // Raw waitpid status, as in FAILURE events: 0 for success, exit code 1 (256) otherwise.
    void link.post({ type: 'EXECUTOR_EXITED', exited: { agent_id: this.id, framework_id: g.frameworkId, executor_id: g.executor.executor_id.value, status: allFinished ? 0 : 256 } });
  }

  private report(t: AgentTask, state: TaskState, source: StatusSource, extra: { reason?: string; message?: string } = {}): void {
    if (t.ended || this.stopped) return;
    t.state = state;
    if (isTerminal(state)) t.ended = true;
    if (this.removedFrameworks.has(t.frameworkId)) {
      if (t.ended) this.tasks.delete(taskKey(t.frameworkId, t.taskId));
      return;
    }
    const status: TaskStatus = {
      task_id: { value: t.taskId },
      state,
      source,
      agent_id: { value: this.id! },
      executor_id: { value: t.executorId },
      timestamp: Date.now() / 1000,
      ...extra,
    };
    t.latest = this.updates.update(t.frameworkId, status);
  }

  private killTask(frameworkId: string, taskId: string, policy: KillPolicy | undefined): void {
    const t = this.tasks.get(taskKey(frameworkId, taskId));
    if (!t) {
      this.logger.info(`KILL of task ${taskId} (${frameworkId}) that this agent does not run: ignored`);
      return;
    }
    const grace = graceMs(policy?.grace_period) ?? graceMs(t.info.kill_policy?.grace_period) ?? this.opts.defaultKillGraceMs ?? 3000;
    if (t.group) {
      t.group.killing = true;
      t.group.tasks.forEach((x) => this.killOne(x, grace));
    } else this.killOne(t, grace);
  }

  private killOne(t: AgentTask, grace: number): void {
    if (t.ended || t.killRequested) return;
    t.killRequested = true;
    t.killGraceMs = grace;
    if (!t.process) return; // Still launching: launch() reports TASK_KILLED instead of starting it.
    if (this.frameworks.get(t.frameworkId)?.capabilities?.some((c) => c.type === 'TASK_KILLING_STATE')) this.report(t, 'TASK_KILLING', 'SOURCE_EXECUTOR');
    void t.process.terminate(grace);
  }

  private readonly gcTimers = new Set<NodeJS.Timeout>();

  /** Removes a finished task's run directory after the GC delay, once no task of it is left. */
  private scheduleSandboxGc(t: AgentTask): void {
    const delay = this.opts.sandboxGcDelayMs;
    if (delay === undefined) return;
    if (t.group && !t.group.tasks.every((x) => x.ended && !this.tasks.has(taskKey(x.frameworkId, x.taskId)))) return;
    const timer = setTimeout(() => {
      this.gcTimers.delete(timer);
      rm(t.runDir, { recursive: true, force: true }).then(
        () => this.logger.info(`sandbox of ${t.taskId} garbage-collected`),
        (e) => this.logger.warn(`sandbox GC of ${t.taskId} failed: ${(e as Error).message}`));
    }, delay);
    timer.unref();
    this.gcTimers.add(timer);
  }

  private shutdownFramework(frameworkId: string): void {
    this.logger.info(`shutting down framework ${frameworkId}: killing its tasks`);
    this.removedFrameworks.add(frameworkId);
    this.updates.dropFramework(frameworkId);
    for (const t of [...this.tasks.values()]) {
      if (t.frameworkId !== frameworkId) continue;
      if (t.ended) this.tasks.delete(taskKey(frameworkId, t.taskId));
      else this.killOne(t, this.opts.defaultKillGraceMs ?? 3000);
    }
  }

  // ------------------------------------------------------------------ lifecycle

  /** Stops the agent: every task is killed (SIGTERM, SIGKILL after `graceMs`) and the link closed. */
  async stop(graceMs = 1000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe();
    clearTimeout(this.reconnectTimer);
    this.updates.stop();
    this.link?.close();
    this.link = null;
    await Promise.all([...this.tasks.values()].map((t) => t.process?.terminate(graceMs)));
  }

  /** Fault injection: the host dies. Every task process is SIGKILLed at once, nothing is reported. */
  async crash(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe();
    clearTimeout(this.reconnectTimer);
    this.updates.stop();
    for (const t of this.tasks.values()) t.process?.killNow();
    this.link?.close();
    this.link = null;
    await Promise.all([...this.tasks.values()].map((t) => t.process?.reap()));
  }

  /** Synchronous SIGKILL of every task, for a process 'exit' handler. */
  killAllNow(): void {
    for (const t of this.tasks.values()) t.process?.killNow();
  }
}
