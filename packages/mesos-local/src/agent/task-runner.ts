import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@msched/logging';
import type { AgentPost, AgentRegistration } from '../protocol/agent-link';
import type { DurationInfo, ExecutorInfo, FrameworkInfo, KillPolicy, StatusSource, TaskInfo, TaskState, TaskStatus } from '../protocol/mesos-types';
import { isTerminal } from '../protocol/task-states';
import { commandLine } from './command-line';
import { containerRefusal } from './container-support';
import { DEFAULT_FETCHER_CACHE_BYTES, FetcherCache, type FetcherCounters } from './fetcher/fetcher-cache';
import { createRunDir, executorRunDir, groupTaskDir } from './sandbox';
import { StatusUpdateManager, UpdateRetry } from './status-update-manager';
import { taskEnvironment } from './task-environment';
import { TaskExit, TaskProcess } from './task-process';

export interface TaskRunnerOptions {
  hostname: string;
  workDir: string;
  /** The id the master gave this agent (tasks only arrive once registered). */
  agentId(): string | null;
  /** Posts to the master while registered (EXECUTOR_EXITED); see MasterSession.post. */
  post(message: (agentId: string) => AgentPost): Promise<number> | undefined;
  /** Sends a status update to the master (the status update manager re-sends until acknowledged). */
  sendUpdate(frameworkId: string, status: TaskStatus, latestState: TaskState, directory: string | undefined): void;
  statusUpdateRetry?: UpdateRetry;
  defaultKillGraceMs?: number;
  sandboxGcDelayMs?: number;
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
 * What an agent runs: each task (or task group) in its sandbox as a real process, its states
 * reported through the status update manager, kills with their grace period, one fate per group,
 * sandboxes collected after the GC delay. Knows nothing of masters: MasterSession does.
 */
export class TaskRunner {
  private readonly frameworks = new Map<string, FrameworkInfo>();
  private readonly removedFrameworks = new Set<string>();
  private readonly tasks = new Map<string, AgentTask>();
  private readonly updates: StatusUpdateManager;
  private readonly logger: Logger;
  private isStopped = false;
  private readonly fetcher: FetcherCache;

  constructor(private readonly opts: TaskRunnerOptions) {
    this.logger = opts.logger;
    this.fetcher = new FetcherCache({ dir: join(opts.workDir, 'fetch-cache'), maxBytes: opts.fetcherCacheBytes ?? DEFAULT_FETCHER_CACHE_BYTES });
    this.updates = new StatusUpdateManager((fw, status) => {
      const task = this.tasks.get(taskKey(fw, status.task_id.value));
      opts.sendUpdate(fw, status, task?.state ?? status.state, task?.directory);
    }, opts.statusUpdateRetry ?? { baseMs: 10_000, maxMs: 600_000 }, this.logger);
  }

  /** What the fetcher cache did so far (hits, misses, bypasses, evictions, failures). */
  get fetcherCounters(): Readonly<FetcherCounters> {
    return { ...this.fetcher.counters };
  }

  /** Pids of every live task process, for tests and the exit handler. */
  taskPids(): number[] {
    return [...this.tasks.values()].flatMap((t) => t.process?.remaining() ?? []);
  }

  /** The frameworks and live tasks a (re-)registration reports to a master. */
  registrationReport(): Pick<AgentRegistration, 'frameworks' | 'tasks'> {
    const live = [...this.tasks.values()];
    const fwIds = new Set(live.map((t) => t.frameworkId));
    return {
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

  /** Registered (again): every unacknowledged update is re-sent at once. */
  flushUpdates(): void {
    this.updates.flush();
  }

  /** The master forwarded the framework's acknowledgement; a task whose last update it was is done. */
  acknowledge(frameworkId: string, taskId: string, uuid: string): void {
    if (!this.updates.acknowledge(frameworkId, taskId, uuid)) return;
    const done = this.tasks.get(taskKey(frameworkId, taskId));
    this.tasks.delete(taskKey(frameworkId, taskId));
    if (done) this.scheduleSandboxGc(done);
  }

  updateFramework(info: FrameworkInfo): void {
    if (info.id?.value) this.frameworks.set(info.id.value, info);
  }

  private newTask(frameworkId: string, info: TaskInfo, executorId: string, containerId: string, runDir: string, directory: string, group?: TaskGroup): AgentTask {
    const t: AgentTask = {
      frameworkId, taskId: info.task_id.value, info, executorId, containerId, runDir, directory, group, state: 'TASK_STAGING', killRequested: false, ended: false,
    };
    this.tasks.set(taskKey(frameworkId, t.taskId), t);
    return t;
  }

  runTask(framework: FrameworkInfo, info: TaskInfo): void {
    const frameworkId = framework.id!.value;
    this.frameworks.set(frameworkId, framework);
    this.removedFrameworks.delete(frameworkId);
    const containerId = randomUUID();
    const executorId = info.task_id.value;
    const runDir = executorRunDir(this.opts.workDir, this.opts.agentId()!, frameworkId, executorId, containerId);
    const task = this.newTask(frameworkId, info, executorId, containerId, runDir, runDir);
    void this.launch([task], async () => createRunDir(runDir));
  }

  runTaskGroup(framework: FrameworkInfo, executor: ExecutorInfo, infos: TaskInfo[]): void {
    const frameworkId = framework.id!.value;
    this.frameworks.set(frameworkId, framework);
    this.removedFrameworks.delete(frameworkId);
    const executorId = executor.executor_id.value;
    const runDir = executorRunDir(this.opts.workDir, this.opts.agentId()!, frameworkId, executorId, randomUUID());
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
    if (this.isStopped) return;
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
          agentId: this.opts.agentId()!, agentHostname: this.opts.hostname, agentEndpoint: `127.0.0.1:5051`,
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
    if (this.isStopped) return;
    // A KILL that came while the process was being spawned has already started terminating it.
    if (!t.killRequested) this.report(t, 'TASK_RUNNING', 'SOURCE_EXECUTOR');
    this.logger.debug(`task ${t.taskId} running as pid ${proc.pid} in ${t.directory}`);
    const exit = await proc.exited;
    await proc.reap(); // No orphans: what the command left behind goes with it, as Mesos destroys the container.
    if (this.isStopped) return;
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
    if (!g || !g.tasks.every((x) => x.ended) || this.isStopped) return;
    const allFinished = g.tasks.every((x) => x.state === 'TASK_FINISHED');
    // Raw waitpid status, as in FAILURE events: 0 for success, exit code 1 (256) otherwise.
    void this.opts.post((agentId) => ({ type: 'EXECUTOR_EXITED', exited: { agent_id: agentId, framework_id: g.frameworkId, executor_id: g.executor.executor_id.value, status: allFinished ? 0 : 256 } }));
  }

  private report(t: AgentTask, state: TaskState, source: StatusSource, extra: { reason?: string; message?: string } = {}): void {
    if (t.ended || this.isStopped) return;
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
      agent_id: { value: this.opts.agentId()! },
      executor_id: { value: t.executorId },
      timestamp: Date.now() / 1000,
      ...extra,
    };
    t.latest = this.updates.update(t.frameworkId, status);
  }

  killTask(frameworkId: string, taskId: string, policy: KillPolicy | undefined): void {
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
  scheduleSandboxGc(t: AgentTask): void {
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

  /**
   * At start, before registering: every agent directory under the work dir belongs to a previous
   * agent process (this one has no id yet). Mesos' recovery schedules such stale agent directories
   * for garbage collection after the GC delay; so does this.
   */
  collectPredecessorSandboxes(): void {
    const delay = this.opts.sandboxGcDelayMs;
    if (delay === undefined) return;
    const slaves = join(this.opts.workDir, 'slaves');
    let stale: string[];
    try {
      stale = readdirSync(slaves);
    } catch {
      return;
    }
    if (!stale.length) return;
    this.logger.info(`the sandboxes of previous agent(s) ${stale.join(', ')} go in ${delay} ms`);
    const timer = setTimeout(() => {
      this.gcTimers.delete(timer);
      for (const id of stale) {
        rm(join(slaves, id), { recursive: true, force: true }).catch((e: Error) => this.logger.warn(`GC of the sandboxes of previous agent ${id} failed: ${e.message}`));
      }
    }, delay);
    timer.unref();
    this.gcTimers.add(timer);
  }

  shutdownFramework(frameworkId: string): void {
    this.logger.info(`shutting down framework ${frameworkId}: killing its tasks`);
    this.removedFrameworks.add(frameworkId);
    this.updates.dropFramework(frameworkId);
    for (const t of [...this.tasks.values()]) {
      if (t.frameworkId !== frameworkId) continue;
      if (t.ended) this.tasks.delete(taskKey(frameworkId, t.taskId));
      else this.killOne(t, this.opts.defaultKillGraceMs ?? 3000);
    }
  }

  // ------------------------------------------------------------------ end

  /** Stops: every task is killed (SIGTERM, SIGKILL after `graceMs`), nothing reported any more. */
  async stop(graceMs: number): Promise<void> {
    this.isStopped = true;
    this.updates.stop();
    await Promise.all([...this.tasks.values()].map((t) => t.process?.terminate(graceMs)));
  }

  /** Fault injection: the host dies. Every task process is SIGKILLed at once, nothing is reported. */
  async crash(): Promise<void> {
    this.isStopped = true;
    this.updates.stop();
    for (const t of this.tasks.values()) t.process?.killNow();
  }

  /** Waits for crashed processes to be reaped. */
  async reapAll(): Promise<void> {
    await Promise.all([...this.tasks.values()].map((t) => t.process?.reap()));
  }

  /** Synchronous SIGKILL of every task, for a process 'exit' handler. */
  killAllNow(): void {
    for (const t of this.tasks.values()) t.process?.killNow();
  }
}
