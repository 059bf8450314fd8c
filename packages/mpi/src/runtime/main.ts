/**
 * The entry point of the single executable runtime `msched-task` (see packages/mpi/sea/): one
 * binary plays every task-side program, chosen by its first argument, or by the name it was started
 * under (mpirun and mpiexec start the remote shell by one path without arguments).
 *
 *   msched-task [gang-task]           the program of every Mesos task of a gang (or a serial job)
 *   msched-task remote-shell <host> <cmd>    stands in for ssh (also: started as msched-remote-shell)
 *   msched-task rank-helper ...       the node half of the native rank wrapper
 *   msched-task rank-wrapper ...      the all-node rank wrapper
 *   msched-task version               prints the build id and node version
 */
import { basename } from 'node:path';
import { gangTaskMain } from '../gang-task';
import { rankHelperMain } from '../rank-helper';
import { rankWrapperMain } from '../rank-wrapper';
import { remoteShellMain } from '../remote-shell';
import { embeddedBuildId } from './embedded';
import { REMOTE_SHELL_NAME } from './task-programs';

/** The arguments after the program: a single executable sees argv as [exe, exe, ...args]. */
function userArgs(): string[] {
  return process.argv.slice(2);
}

function exitWith(run: Promise<number>, name: string): void {
  run.then((code) => process.exit(code), (e: Error) => {
    process.stderr.write(`msched-task ${name}: ${e.stack ?? e.message}\n`);
    process.exit(70);
  });
}

export function runtimeMain(): void {
  const args = userArgs();
  if (basename(process.argv0) === REMOTE_SHELL_NAME) return remoteShellMain(args);
  const [role, ...rest] = args;
  switch (role ?? 'gang-task') {
    case 'gang-task':
      return exitWith(gangTaskMain(), 'gang-task');
    case 'remote-shell':
      return remoteShellMain(rest);
    case 'rank-helper':
      return exitWith(rankHelperMain(rest), 'rank-helper');
    case 'rank-wrapper':
      return exitWith(rankWrapperMain(rest), 'rank-wrapper');
    case 'version':
      process.stdout.write(`msched-task ${embeddedBuildId() ?? '(not embedded)'} node ${process.version}\n`);
      return;
    default:
      process.stderr.write(`msched-task: unknown role ${JSON.stringify(role)} (gang-task, remote-shell, rank-helper, rank-wrapper, version)\n`);
      process.exit(64);
  }
}

runtimeMain();
