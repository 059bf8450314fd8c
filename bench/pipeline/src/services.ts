import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

/** One service's main as a child process (as the demo runs them), its output in `<logDir>/<name>.log`. */
export interface Service { name: string; child: ChildProcess; log: string }

export function startService(repo: string, name: string, main: string, env: NodeJS.ProcessEnv, logDir: string): Service {
  const log = join(logDir, `${name}.log`);
  const out = createWriteStream(log, { flags: 'a' });
  const child = spawn(process.execPath, [join(repo, main)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  return { name, child, log };
}

export async function stopServices(services: readonly Service[]): Promise<void> {
  await Promise.all(services.map((s) => new Promise<void>((ok) => {
    if (s.child.exitCode !== null || s.child.signalCode !== null) return ok();
    const t = setTimeout(() => s.child.kill('SIGKILL'), 10_000);
    s.child.once('exit', () => { clearTimeout(t); ok(); });
    s.child.kill('SIGTERM');
  })));
}

export async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => ok(port));
    });
  });
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const s = net.connect(port, '127.0.0.1', () => { s.destroy(); ok(true); });
    s.on('error', () => ok(false));
  });
}

/** Waits for `check`, failing early (with the log path) when a service died. */
export async function waitFor(what: string, check: () => Promise<boolean>, services: readonly Service[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = services.find((s) => s.child.exitCode !== null);
    if (dead) throw new Error(`the ${dead.name} service exited (code ${dead.child.exitCode}) while waiting for ${what}: see ${dead.log}`);
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = require('node:fs').readFileSync(`/proc/${pid}/stat`, 'utf8') as string;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
