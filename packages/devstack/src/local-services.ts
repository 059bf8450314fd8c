import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** One of our services' mains run as a child process (the demo, the pipeline bench), its output in `log`. */
export interface RunningService {
  readonly name: string;
  readonly child: ChildProcess;
  readonly log: string;
}

/** Starts `<repo>/<main>` with this node, its stdout and stderr appended to `<logDir>/<name>.log`. */
export function startService(repo: string, name: string, main: string, env: NodeJS.ProcessEnv, logDir: string): RunningService {
  mkdirSync(logDir, { recursive: true });
  const log = join(logDir, `${name}.log`);
  const out = createWriteStream(log, { flags: 'a' });
  const child = spawn(process.execPath, [join(repo, main)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  return { name, child, log };
}

/** SIGTERM to each service still running, SIGKILL to one that has not exited 10 s later. */
export async function stopServices(services: readonly RunningService[]): Promise<void> {
  await Promise.all(services.map((s) => new Promise<void>((resolve) => {
    if (s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
    const timer = setTimeout(() => s.child.kill('SIGKILL'), 10_000);
    s.child.once('exit', () => { clearTimeout(timer); resolve(); });
    s.child.kill('SIGTERM');
  })));
}

/** Waits until `check` passes, failing early when one of the services died (with its log path). */
export async function waitFor(what: string, check: () => Promise<boolean>, services: readonly RunningService[], timeoutMs: number, intervalMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = services.find((s) => s.child.exitCode !== null);
    if (dead) throw new Error(`the ${dead.name} service exited (code ${dead.child.exitCode}) while waiting for ${what}: see ${dead.log}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
