import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Config } from '@msched/config';
import type { MpiFlavour } from '@msched/model';
import { buildGangTaskCommand, findResultLine, removeJobRendezvous, rendezvousPath, type GangResult } from '@msched/mpi';
import { Zk } from '@msched/zk';
import { testConfig } from '../../helpers/stack';

export { compileFixture, fixtureDir } from '../../helpers/mpi-fixtures';

/**
 * Simulates a placed gang without Mesos: each "agent" is a child process running the real gang task
 * program with the command and environment buildGangTaskCommand gives the dispatcher, plus what an
 * agent adds itself (MESOS_SANDBOX, its own temp sandbox). Real ZooKeeper, real MPI.
 */
/** Settings the local cluster needs: every agent shares this machine's loopback. */
export function localClusterConfig(extra: Record<string, string> = {}): Config {
  return testConfig({
    MSCHED_MPI_NETWORK_INTERFACES: 'lo',
    MSCHED_MPI_OPENMPI_BTL: 'tcp,self',
    MSCHED_MPI_LAUNCHER_ADDRESS: '127.0.0.1',
    MSCHED_MPI_RENDEZVOUS_TIMEOUT_SECONDS: '20',
    MSCHED_MPI_KILL_GRACE_MS: '1500',
    MSCHED_ZK_SESSION_TIMEOUT_MS: '4000',
    ...extra,
  });
}

export interface AgentTask {
  readonly index: number;
  readonly hostname: string;
  readonly sandbox: string;
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
}

export interface GangRun {
  readonly jobId: string;
  readonly rendezvous: string;
  readonly tasks: AgentTask[];
  readonly launcher: AgentTask;
  /** Resolves when every task has exited. */
  all(): Promise<Array<{ code: number | null; signal: string | null }>>;
}

export interface GangOptions {
  readonly flavour: MpiFlavour;
  readonly argv: readonly string[];
  readonly placement: ReadonlyArray<{ hostname: string; slots: number }>;
  readonly cfg: Config;
  readonly jobId: string;
  readonly wallTimeSeconds?: number;
  readonly stdin?: string;
  /** Files already in every sandbox when the task starts, as Mesos' fetcher would leave them. */
  readonly files?: Readonly<Record<string, string>>;
  /** Start only these task indices (to simulate a task that never comes up). */
  readonly only?: readonly number[];
  /** The ZooKeeper a task reaches (a cuttable relay of its own), instead of cfg's. */
  readonly zkConnectOf?: (index: number) => readonly string[];
  /** Variables of the task's contract the dispatcher leaves at their defaults (e.g. MSCHED_GANG_ZK_RETRY_MS). */
  readonly taskEnv?: Readonly<Record<string, string>>;
}

let seq = 0;
export function uniqueJobId(label: string): string {
  seq += 1;
  return `${label}-${process.pid}-${Date.now().toString(36)}-${seq}`;
}

export function startGang(o: GangOptions): GangRun {
  const ranks = o.placement.reduce((n, p) => n + p.slots, 0);
  const tasks: AgentTask[] = [];
  o.placement.forEach((p, index) => {
    if (o.only && !o.only.includes(index)) return;
    const command = buildGangTaskCommand(
      { jobId: o.jobId, processId: `proc-${o.jobId}`, experimentId: `exp-${o.jobId}`, gatewayId: 'test-gw', attempt: 1, ranks, wallTimeSeconds: o.wallTimeSeconds ?? 0, flavour: o.flavour, argv: o.argv, env: { APP_SETTING: 'from-app-spec' }, stdin: o.stdin },
      { index, memberCount: o.placement.length, slots: p.slots, hostname: p.hostname, agentId: `agent-id-${p.hostname}`, taskId: `${o.jobId}-task-${index}`, port: undefined },
      { zookeeper: o.cfg.zookeeper, mpi: o.cfg.mpi, logLevel: 'info' },
    );
    const sandbox = mkdtempSync(join(tmpdir(), `msched-sandbox-${p.hostname}-`));
    for (const [name, content] of Object.entries(o.files ?? {})) writeFileSync(join(sandbox, name), content);
    // What a Mesos agent provides: a sandbox and its own variables; nothing else of ours.
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', MESOS_SANDBOX: sandbox, MESOS_DIRECTORY: sandbox };
    for (const v of command.environment.variables) env[v.name] = v.value;
    if (o.zkConnectOf) env.MSCHED_GANG_ZK_CONNECT = o.zkConnectOf(index).join(',');
    Object.assign(env, o.taskEnv);
    const child = spawn(command.value, command.arguments.slice(1), { env, cwd: sandbox, stdio: ['ignore', 'pipe', 'pipe'] });
    const task: AgentTask = {
      index, hostname: p.hostname, sandbox, child, stdout: '', stderr: '',
      exited: new Promise((r) => child.once('exit', (code, signal) => r({ code, signal }))),
    };
    child.stdout!.on('data', (d: Buffer) => { task.stdout += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { task.stderr += d.toString(); });
    tasks.push(task);
  });
  return {
    jobId: o.jobId,
    rendezvous: rendezvousPath(o.cfg.zookeeper.root, o.jobId, 1),
    tasks,
    launcher: tasks[0],
    all: () => Promise.all(tasks.map((t) => t.exited)),
  };
}

export function resultOf(task: AgentTask): GangResult {
  const result = findResultLine(task.stderr);
  if (!result) throw new Error(`task ${task.index} printed no result line; stderr:\n${task.stderr}`);
  return result;
}

/** Resolves when the launcher's stdout holds `count` lines matching `pattern`. */
export function waitForLines(task: AgentTask, pattern: RegExp, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (task.stdout.split('\n').filter((l) => pattern.test(l)).length >= count) {
        task.child.stdout!.off('data', check);
        resolve();
      }
    };
    task.child.stdout!.on('data', check);
    task.child.once('exit', () => reject(new Error(`task ${task.index} exited before printing ${count} lines matching ${pattern}:\n${task.stdout}\n${task.stderr}`)));
    check();
  });
}

export interface ProcInfo {
  readonly pid: number;
  readonly cmdline: string;
}

/**
 * Every live process belonging to a gang, found independently of the code under test: by the gang's
 * rendezvous path in its environment (tasks, relays, daemons, wrappers), by a task's cleanup tag
 * (applications), or by a fixture binary or sandbox in its command line.
 */
export function processesOf(run: GangRun, markers: readonly string[]): ProcInfo[] {
  const envNeedles = [`MSCHED_GANG_RENDEZVOUS_PATH=${run.rendezvous}\0`, `MSCHED_GANG_TAG=${run.rendezvous}/`].map((s) => Buffer.from(s));
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const environ = readFileSync(`/proc/${name}/environ`);
      const cmdline = readFileSync(`/proc/${name}/cmdline`).toString().split('\0').join(' ').trim();
      if (envNeedles.some((n) => environ.includes(n)) || markers.some((m) => cmdline.includes(m))) out.push({ pid: Number(name), cmdline });
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/** Live processes one task started (they carry its cleanup tag). */
export function processesOfTask(run: GangRun, index: number): ProcInfo[] {
  const needle = Buffer.from(`MSCHED_GANG_TAG=${run.rendezvous}/${index}\0`);
  return processesOf(run, []).filter((p) => {
    try {
      return readFileSync(`/proc/${p.pid}/environ`).includes(needle);
    } catch {
      return false;
    }
  });
}

/**
 * For processes no task of ours is left to end (their task was SIGKILLed: on Mesos its container
 * goes with it): resolves once they are gone by MPI's own lifelines, or with what is left at the
 * deadline. A generous bound on an event, not a measurement.
 */
export async function leftoversAfter(run: GangRun, markers: readonly string[], deadlineMs: number): Promise<ProcInfo[]> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const left = processesOf(run, markers);
    if (left.length === 0 || Date.now() > until) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Test cleanup, also after a failure: nothing of the run may outlive the test. */
export async function destroyGang(run: GangRun | undefined, cfg: Config, markers: readonly string[]): Promise<void> {
  if (!run) return;
  for (const t of run.tasks) if (t.child.exitCode === null && t.child.signalCode === null) t.child.kill('SIGKILL');
  await Promise.all(run.tasks.map((t) => t.exited));
  for (const p of processesOf(run, markers)) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  const zk = await Zk.connect(cfg.zookeeper.connect, { connectTimeoutMs: 5000 });
  try {
    await removeJobRendezvous(zk, cfg.zookeeper.root, run.jobId);
  } finally {
    zk.close();
  }
  for (const t of run.tasks) rmSync(t.sandbox, { recursive: true, force: true });
}

export function linesMatching(text: string, pattern: RegExp): string[] {
  return text.split('\n').filter((l) => pattern.test(l));
}
