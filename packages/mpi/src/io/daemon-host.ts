import type { Logger } from '@msched/logging';
import { isMpiDaemon } from '../daemon-allowlist';
import { DAEMON_PREFIX, type GangPaths } from '../rendezvous-layout';
import { parseDaemonRequest, type DaemonExit } from '../records';
import type { GangZk } from './gang-zk';
import { signalGroup, startProcess, type Started } from './child';
import { putNode, watchChildren, watchExists, type Stoppable } from './zk-watch';

export interface DaemonHostOptions {
  readonly zk: GangZk;
  readonly paths: GangPaths;
  readonly index: number;
  /** Environment of every daemon: this task's own, so ranks inherit this agent's identity. */
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly logger: Logger;
}

/**
 * The agent side of the remote shell: runs the MPI daemon commands sent to this task through the remote shell, reports how each
 * ended, and stops one when its remote shell gives up. Daemons' output goes to the task's own stdout/stderr.
 */
export class DaemonHost {
  private readonly seen = new Set<string>();
  private readonly running = new Map<string, { started: Started; killWatch: Stoppable }>();
  private watch?: Stoppable;
  private stopped = false;

  constructor(private readonly o: DaemonHostOptions) {}

  start(): void {
    this.watch = watchChildren(this.o.zk, this.o.paths.daemons(this.o.index), (children) => {
      for (const c of children.filter((n) => n.startsWith(DAEMON_PREFIX)).sort()) {
        if (this.seen.has(c)) continue;
        this.seen.add(c);
        this.launch(c).catch((e: Error) => this.o.logger.error(`daemon request ${c} failed: ${e.message}`));
      }
    }, (e) => this.o.logger.error(`watching daemon requests failed: ${e.message}`));
  }

  get active(): number {
    return this.running.size;
  }

  /** Resolves once every daemon has ended and been reported, or after timeoutMs. */
  async drain(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.running.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  }

  /** Stops taking requests and signals the running daemons' process groups. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.stopped = true;
    this.watch?.stop();
    for (const { started, killWatch } of this.running.values()) {
      killWatch.stop();
      signalGroup(started.child, signal);
    }
  }

  private async launch(name: string): Promise<void> {
    const path = `${this.o.paths.daemons(this.o.index)}/${name}`;
    const data = await this.o.zk.call(`read daemon request ${name}`, (zk) => zk.getData(path));
    if (!data || this.stopped) return;
    const report = (exit: DaemonExit) => this.o.zk.call(`report the end of daemon ${name}`, (zk) => putNode(zk, `${path}/exit`, JSON.stringify(exit)))
      .catch((e: Error) => this.o.logger.warn(`could not report the end of daemon ${name}: ${e.message}`));
    let argv: readonly string[];
    try {
      argv = parseDaemonRequest(data).argv;
    } catch (e) {
      await report({ code: null, signal: null, error: (e as Error).message });
      return;
    }
    if (!isMpiDaemon(argv)) {
      this.o.logger.error(`refused to run ${JSON.stringify(argv[0])}: only MPI daemons are started on a remote shell's request`);
      await report({ code: null, signal: null, error: `refused: ${argv[0]} is not an MPI daemon` });
      return;
    }
    this.o.logger.info(`starting MPI daemon ${argv[0]} (${name})`);
    const started = startProcess(argv, { env: this.o.env, cwd: this.o.cwd, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    const killWatch = watchExists(this.o.zk, `${path}/kill`, (exists) => {
      if (exists) {
        this.o.logger.info(`the remote shell gave up on daemon ${name}: stopping it`);
        signalGroup(started.child, 'SIGTERM');
      }
    }, (e) => this.o.logger.warn(`watching ${name}/kill failed: ${e.message}`));
    this.running.set(name, { started, killWatch });
    const ended = await started.ended;
    killWatch.stop();
    this.o.logger.info(`MPI daemon ${name} ended`, { code: ended.code, signal: ended.signal });
    if (ended.error) this.o.logger.error(ended.error);
    // Still counted as running until reported, so drain() also waits for the report.
    await report({ code: ended.code, signal: ended.signal, error: ended.error });
    this.running.delete(name);
  }
}
