import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';

export interface Ended {
  readonly code: number | null;
  readonly signal: string | null;
  /** The program could not be started (e.g. ENOENT); code and signal are null then. */
  readonly error?: string;
}

export interface Started {
  readonly child: ChildProcess;
  readonly ended: Promise<Ended>;
}

export interface StartOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdio: StdioOptions;
  /** Own process group, so the whole group can be signalled at once. */
  readonly detached: boolean;
}

/** Starts argv directly (never through a shell) and reports how it ended, including failure to start. */
export function startProcess(argv: readonly string[], opts: StartOptions): Started {
  const child = spawn(argv[0], argv.slice(1), { ...opts, shell: false });
  const ended = new Promise<Ended>((resolve) => {
    child.once('error', (e) => {
      if (child.pid === undefined) resolve({ code: null, signal: null, error: `cannot execute ${argv[0]}: ${e.message}` });
    });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, ended };
}

/** Signals a detached child's whole process group (falls back to the child alone). */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}
