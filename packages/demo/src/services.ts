import { spawn, ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

export interface RunningService {
  name: string;
  child: ChildProcess;
  log: string;
}

/** Starts one service's main as a child process, its log in `<logDir>/<name>.log`. */
export function startService(repo: string, name: string, main: string, env: NodeJS.ProcessEnv, logDir: string): RunningService {
  mkdirSync(logDir, { recursive: true });
  const log = join(logDir, `${name}.log`);
  const out = createWriteStream(log, { flags: 'a' });
  const child = spawn(process.execPath, [join(repo, main)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  return { name, child, log };
}

export async function stopServices(services: RunningService[]): Promise<void> {
  await Promise.all(services.map((s) => new Promise<void>((resolve) => {
    if (s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
    const timer = setTimeout(() => s.child.kill('SIGKILL'), 10000);
    s.child.once('exit', () => { clearTimeout(timer); resolve(); });
    s.child.kill('SIGTERM');
  })));
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

/** Waits until `check` passes, failing early when one of the services died (with its log path). */
export async function waitFor(what: string, check: () => Promise<boolean>, services: RunningService[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = services.find((s) => s.child.exitCode !== null);
    if (dead) throw new Error(`the ${dead.name} service exited (code ${dead.child.exitCode}) while waiting for ${what}: see ${dead.log}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
