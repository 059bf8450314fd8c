import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkHosts, HostfileError, renderHostfile, type HostSlots } from '../hostfile';
import { buildLaunchCommand, type LaunchCommand } from '../launch-command';
import { oversubscribedMachines, type OversubscribedMachine } from '../oversubscription';
import type { MemberRecord } from '../records';
import { rankCommandOf, taskPrograms } from '../runtime/task-programs';
import { scratchPath } from '../io/scratch';
import { REMOTE_SHELL_SOCKET_VARIABLE } from '../remote-shell-protocol';
import type { TaskContext } from './context';

export const HOSTFILE = 'msched-hostfile';
/** The registered gang cannot run as placed: a dispatcher bug, not a reason to retry. */
export class PlacementError extends Error {}

export interface PreparedLaunch extends LaunchCommand {
  /** Hosts in rank order, as written to the hostfile. */
  readonly hosts: readonly HostSlots[];
  /** Machines with more ranks than cores, which MPI was told about. */
  readonly oversubscribed: readonly OversubscribedMachine[];
  /** Where the native remote shell reaches the launcher (io/remote-shell-server.ts); none with the node one. */
  readonly remoteShellSocket?: string;
  /** MPICH ranks get the yield shim (native/mpi-yield.c). */
  readonly mpichYield: boolean;
}

/** Writes the hostfile and the remote shell into the sandbox and builds the mpirun/mpiexec command. */
export function prepareLaunch(ctx: TaskContext, members: readonly MemberRecord[]): PreparedLaunch {
  const { gang } = ctx;
  if (gang.flavour === 'none') throw new Error('an MPI launch needs an MPI flavour');
  const placed = members.reduce((n, m) => n + m.slots, 0);
  if (placed !== gang.ranks) throw new PlacementError(`the tasks hold ${placed} slot(s) but the job has ${gang.ranks} rank(s)`);
  const hosts = members.map((m) => ({ hostname: m.hostname, slots: m.slots }));
  try {
    checkHosts(hosts);
  } catch (e) {
    if (e instanceof HostfileError) throw new PlacementError(`cannot place ranks: ${e.message}`);
    throw e;
  }
  const oversubscribed = oversubscribedMachines(members);
  const hostfilePath = join(gang.sandbox, HOSTFILE);
  writeFileSync(hostfilePath, renderHostfile(gang.flavour, hosts));
  const programs = taskPrograms(gang.sandbox);
  // MPICH has no setting of its own for it (see native/mpi-yield.c).
  const mpichYield = gang.flavour === 'mpich' && oversubscribed.length > 0 && programs.mpiYieldShim !== undefined;
  // In the task's scratch folder: short enough for a socket name, and only the task's user enters it.
  const remoteShellSocket = programs.nativeRemoteShell ? join(scratchPath(ctx.tag), 'remote-shell.sock') : undefined;
  const command = buildLaunchCommand({
    flavour: gang.flavour,
    launcherPath: gang.mpi.launcherPath,
    hostfilePath,
    ranks: gang.ranks,
    remoteShellPath: programs.remoteShellPath,
    // The same path on every agent: the shared runtime copy, or the installed dist (see README.md).
    rankCommand: [...rankCommandOf(programs, { yieldWhenIdle: mpichYield }), ...gang.app.argv],
    interfaces: gang.mpi.interfaces,
    openmpiBtl: gang.mpi.openmpiBtl,
    // The agent's hostname as Mesos knows it is reachable by construction; gethostname() may not be.
    launcherAddress: gang.mpi.launcherAddress ?? gang.member.hostname,
    controlPort: gang.member.port,
    runningAsRoot: process.getuid?.() === 0,
    oversubscribed: oversubscribed.length > 0,
  });
  const env = remoteShellSocket ? { ...command.env, [REMOTE_SHELL_SOCKET_VARIABLE]: remoteShellSocket } : command.env;
  return { ...command, env, hosts, oversubscribed, remoteShellSocket, mpichYield };
}
