import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeRemoteShellExecutable } from '../io/remote-shell-file';
import { isEmbeddedRuntime, materializeSharedRuntime, runtimeExecutable } from './embedded';

/** The name the MPI remote shell goes by; the runtime acts as the remote shell when started under it (main.ts). */
export const REMOTE_SHELL_NAME = 'msched-remote-shell';
export const NATIVE_RANK_WRAPPER = 'msched-rank-exec';

/** How the launcher starts the MPI remote shell (in place of ssh) and what wraps every rank. */
export interface TaskPrograms {
  /** One executable path (Hydra's -launcher-exec takes no arguments). */
  readonly remoteShellPath: string;
  /** Prefix of every rank's command line: the same on every agent of the gang. */
  readonly rankCommand: readonly string[];
}

/**
 * From the single executable runtime: the remote shell is a symlink to it in the launcher's sandbox, and
 * ranks use the copy at the content-addressed shared path, which every task of the gang wrote
 * before joining the rendezvous (prepareSharedRuntime).
 */
function embeddedPrograms(sandbox: string): TaskPrograms {
  const shared = materializeSharedRuntime();
  const dir = join(sandbox, '.msched');
  mkdirSync(dir, { recursive: true });
  const remoteShellPath = join(dir, REMOTE_SHELL_NAME);
  rmSync(remoteShellPath, { force: true });
  symlinkSync(runtimeExecutable(), remoteShellPath);
  return { remoteShellPath, rankCommand: [shared.rankExec, shared.task, 'rank-helper'] };
}

/**
 * From an installed dist (tests of packages/mpi, or an operator who installed it on every agent):
 * node runs the programs; the native wrapper is used when a C compiler built it next to them
 * (about 1 MB resident per rank instead of about 40 MB for the node one).
 */
function installedPrograms(sandbox: string, dist: string): TaskPrograms {
  const node = process.execPath;
  const native = join(dist, NATIVE_RANK_WRAPPER);
  return {
    remoteShellPath: writeRemoteShellExecutable(join(sandbox, '.msched'), node, join(dist, 'remote-shell.js')),
    rankCommand: existsSync(native) ? [native, node, join(dist, 'rank-helper.js')] : [node, join(dist, 'rank-wrapper.js')],
  };
}

export function taskPrograms(sandbox: string): TaskPrograms {
  return isEmbeddedRuntime() ? embeddedPrograms(sandbox) : installedPrograms(sandbox, join(__dirname, '..'));
}

/** Every task of a gang calls this before it joins: ranks on its agent need the shared copy. */
export function prepareSharedRuntime(): void {
  if (isEmbeddedRuntime()) materializeSharedRuntime();
}
