import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeRelayExecutable } from '../io/relay-file';
import { isEmbeddedRuntime, materializeSharedRuntime, runtimeExecutable } from './embedded';

/** The name the relay goes by; the runtime acts as the relay when started under it (main.ts). */
export const RELAY_NAME = 'msched-relay';
export const NATIVE_RANK_WRAPPER = 'msched-rank-exec';

/** How the launcher starts the relay (in place of ssh) and what wraps every rank. */
export interface TaskPrograms {
  /** One executable path (Hydra's -launcher-exec takes no arguments). */
  readonly relayPath: string;
  /** Prefix of every rank's command line: the same on every agent of the gang. */
  readonly rankCommand: readonly string[];
}

/**
 * From the single executable runtime: the relay is a symlink to it in the launcher's sandbox, and
 * ranks use the copy at the content-addressed shared path, which every task of the gang wrote
 * before joining the rendezvous (prepareSharedRuntime).
 */
function embeddedPrograms(sandbox: string): TaskPrograms {
  const shared = materializeSharedRuntime();
  const dir = join(sandbox, '.msched');
  mkdirSync(dir, { recursive: true });
  const relayPath = join(dir, RELAY_NAME);
  rmSync(relayPath, { force: true });
  symlinkSync(runtimeExecutable(), relayPath);
  return { relayPath, rankCommand: [shared.rankExec, shared.task, 'rank-helper'] };
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
    relayPath: writeRelayExecutable(join(sandbox, '.msched'), node, join(dist, 'relay.js')),
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
