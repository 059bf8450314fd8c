import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/**
 * One server or service of the run as an OS process of its own, restartable with the same
 * command. Each runs in its own process group, so a kill reaches what it spawned, and only what
 * this harness started is ever signalled (by pid).
 */
export class ManagedProcess {
  /** Every process this harness started, so that an interrupted run can still stop them all. */
  static readonly all = new Set<ManagedProcess>();
  private child?: ChildProcess;
  starts = 0;
  /** Set while a fault keeps this process down on purpose. */
  heldDown = false;
  /** Times it exited without being killed by the harness. */
  exitsOnItsOwn = 0;
  private killing = false;

  constructor(readonly name: string, private readonly cmd: string, private readonly args: string[], private readonly env: NodeJS.ProcessEnv, readonly logFile: string) {}

  get pid(): number | undefined {
    return this.alive ? this.child?.pid : undefined;
  }

  get alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    if (this.alive) return;
    const out = createWriteStream(this.logFile, { flags: 'a' });
    out.write(`\n----- ${new Date().toISOString()} start #${++this.starts}: ${this.cmd} ${this.args.join(' ')}\n`);
    const child = spawn(this.cmd, this.args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout?.pipe(out, { end: false });
    child.stderr?.pipe(out, { end: false });
    child.once('exit', (code, sig) => {
      if (!this.killing) this.exitsOnItsOwn++;
      this.killing = false;
      out.write(`----- ${new Date().toISOString()} exited code ${code} signal ${sig}\n`);
    });
    // Children of the process may hold its output open after it exited: end the log only when they closed it.
    child.once('close', () => out.end());
    out.on('error', () => undefined);
    this.child = child;
    ManagedProcess.all.add(this);
  }

  /** Last resort on interruption: SIGKILL to the process group, synchronously. */
  killNow(): void {
    const c = this.child;
    if (c && this.alive) try { process.kill(-c.pid!, 'SIGKILL'); } catch { /* gone */ }
  }

  /** kill -9 of the whole process group; resolves once the leader is gone. */
  async kill9(): Promise<void> {
    const c = this.child;
    if (!c || !this.alive) return;
    const gone = new Promise<void>((r) => c.once('exit', () => r()));
    this.killing = true;
    try { process.kill(-c.pid!, 'SIGKILL'); } catch { c.kill('SIGKILL'); }
    await gone;
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    const c = this.child;
    if (!c || !this.alive) return;
    const gone = new Promise<void>((r) => c.once('exit', () => r()));
    this.killing = true;
    c.kill('SIGTERM');
    const t = setTimeout(() => { try { process.kill(-c.pid!, 'SIGKILL'); } catch { /* gone */ } }, graceMs);
    await gone;
    clearTimeout(t);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` until it is true, failing with `what` after `timeoutMs`. */
export async function until(what: string, timeoutMs: number, check: () => Promise<boolean>, intervalMs = 500): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(intervalMs);
  }
}
