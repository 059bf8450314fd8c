import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeRemoteShellExecutable } from '../io/remote-shell-file';
import { isEmbeddedRuntime, materializeSharedRuntime } from './embedded';

/** The name the MPI remote shell goes by; the native binary and the runtime both act as the remote shell when started under it. */
export const REMOTE_SHELL_NAME = 'msched-remote-shell';
export const NATIVE_RANK_WRAPPER = 'msched-rank-exec';
export const MPI_YIELD_SHIM = 'msched-mpi-yield.so';

/** How the launcher starts the MPI remote shell (in place of ssh) and what wraps every rank. */
export interface TaskPrograms {
  /** One executable path (Hydra's -launcher-exec takes no arguments). */
  readonly remoteShellPath: string;
  /** The remote shell is native/remote-shell.c: it needs the launcher's socket (io/remote-shell-server.ts). */
  readonly nativeRemoteShell: boolean;
  /** Prefix of every rank's command line: the same on every agent of the gang. */
  readonly rankCommand: readonly string[];
  /** native/mpi-yield.c, at the same path on every agent; only with the native rank wrapper. */
  readonly mpiYieldShim?: string;
}

/** LD_PRELOAD splits its list at blanks and colons: a shim under such a path cannot be preloaded. */
function preloadable(path: string): string | undefined {
  return /[\s:]/.test(path) ? undefined : path;
}

function linkRemoteShell(sandbox: string, target: string): string {
  const dir = join(sandbox, '.msched');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, REMOTE_SHELL_NAME);
  rmSync(path, { force: true });
  symlinkSync(target, path);
  return path;
}

/**
 * From the single executable runtime: the remote shell is a symlink to the native binary in the
 * launcher's sandbox, and ranks use the copies at the content-addressed shared path, which every
 * task of the gang wrote before joining the rendezvous (prepareSharedRuntime).
 */
function embeddedPrograms(sandbox: string): TaskPrograms {
  const shared = materializeSharedRuntime();
  return {
    remoteShellPath: linkRemoteShell(sandbox, shared.rankExec),
    nativeRemoteShell: true,
    rankCommand: [shared.rankExec, shared.task, 'rank-helper'],
    mpiYieldShim: preloadable(shared.mpiYieldShim),
  };
}

/**
 * From an installed dist (tests of packages/mpi, or an operator who installed it on every agent):
 * the native programs when a C compiler built them next to the node ones, else node runs everything
 * (about 40 MB resident per rank instead of about 1 MB, and a node start per remote shell).
 */
function installedPrograms(sandbox: string, dist: string): TaskPrograms {
  const node = process.execPath;
  const native = join(dist, NATIVE_RANK_WRAPPER);
  if (!existsSync(native)) {
    return {
      remoteShellPath: writeRemoteShellExecutable(join(sandbox, '.msched'), node, join(dist, 'remote-shell.js')),
      nativeRemoteShell: false,
      rankCommand: [node, join(dist, 'rank-wrapper.js')],
    };
  }
  const shim = join(dist, MPI_YIELD_SHIM);
  return {
    remoteShellPath: linkRemoteShell(sandbox, native),
    nativeRemoteShell: true,
    rankCommand: [native, node, join(dist, 'rank-helper.js')],
    mpiYieldShim: existsSync(shim) ? preloadable(shim) : undefined,
  };
}

export function taskPrograms(sandbox: string): TaskPrograms {
  return isEmbeddedRuntime() ? embeddedPrograms(sandbox) : installedPrograms(sandbox, join(__dirname, '..'));
}

/** What every rank runs before the application's argv; with yieldWhenIdle, MPICH ranks get the yield shim. */
export function rankCommandOf(programs: TaskPrograms, o: { yieldWhenIdle: boolean }): string[] {
  const [wrapper, ...rest] = programs.rankCommand;
  return o.yieldWhenIdle && programs.mpiYieldShim ? [wrapper, '--yield-when-idle', programs.mpiYieldShim, ...rest] : [wrapper, ...rest];
}

/** Every task of a gang calls this before it joins: ranks on its agent need the shared copy. */
export function prepareSharedRuntime(): void {
  if (isEmbeddedRuntime()) materializeSharedRuntime();
}

/**
 * Whether a process (by its argv) is a rank wrapper: the native one wherever it was started from
 * (the shared runtime copy of a fetched runtime, or an installed dist), or the node one. Not the
 * native binary playing the remote shell, not the node helper it runs.
 */
export function isRankWrapperProcess(argv: readonly string[]): boolean {
  return basename(argv[0] ?? '') === NATIVE_RANK_WRAPPER || basename(argv[1] ?? '') === 'rank-wrapper.js';
}
