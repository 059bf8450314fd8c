import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { containerProcesses } from './process-table';
import type { SpawnSpec } from './command-line';
import { CONTAINER_MARKER } from './task-environment';

export interface TaskExit { code: number | null; signal: NodeJS.Signals | null }

export interface TaskProcessOptions {
  cwd: string;
  env: Record<string, string>;
  stdoutPath: string;
  stderrPath: string;
  containerId: string;
}

const POLL_MS = 25;

/**
 * A task's process tree: the command runs detached (its own session and process group) with
 * stdout/stderr appended to sandbox files. Killing signals the whole group and any stray carrying
 * the container marker: SIGTERM, then SIGKILL once the grace period is over.
 */
export class TaskProcess {
  readonly exited: Promise<TaskExit>;
  readonly started: Promise<void>;
  private readonly child: ChildProcess;
  private done = false;

  constructor(spec: SpawnSpec, private readonly opts: TaskProcessOptions) {
    const out = openSync(opts.stdoutPath, 'a');
    const err = openSync(opts.stderrPath, 'a');
    try {
      this.child = spawn(spec.file, spec.args, {
        argv0: spec.argv0, cwd: opts.cwd, env: opts.env, detached: true, stdio: ['ignore', out, err],
      });
    } finally {
      closeSync(out);
      closeSync(err);
    }
    this.started = new Promise((resolve, reject) => {
      this.child.once('spawn', () => resolve());
      this.child.once('error', (e) => reject(e));
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.done = true;
        resolve({ code, signal });
      });
      // A child that never started never exits: report it as failed to spawn.
      this.child.once('error', () => {
        this.done = true;
        resolve({ code: null, signal: null });
      });
    });
    this.started.catch(() => undefined);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Processes of this task still alive (the leader included while it runs). */
  remaining(): number[] {
    const pid = this.child.pid;
    if (pid === undefined) return [];
    return containerProcesses(pid, { name: CONTAINER_MARKER, value: this.opts.containerId });
  }

  private signalAll(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already empty.
    }
    for (const p of this.remaining()) {
      try {
        process.kill(p, signal);
      } catch {
        // Exited meanwhile.
      }
    }
  }

  /** SIGTERM to everything, SIGKILL after `graceMs`; resolves when no process of the task is left. */
  async terminate(graceMs: number): Promise<void> {
    this.signalAll('SIGTERM');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && (!this.done || this.remaining().length > 0)) await sleep(POLL_MS);
    await this.reap();
  }

  /** SIGKILLs whatever of the task is left (strays after the leader exited, or everything at once). */
  async reap(): Promise<void> {
    for (let i = 0; i < 200 && (!this.done || this.remaining().length > 0); i++) {
      this.signalAll('SIGKILL');
      await sleep(POLL_MS);
    }
  }

  /** Synchronous last resort, safe in a process 'exit' handler. */
  killNow(): void {
    this.signalAll('SIGKILL');
  }
}
