import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkHosts, HostfileError, renderHostfile, type HostSlots } from '../hostfile';
import { writeRemoteShellExecutable } from '../io/remote-shell-file';
import { buildLaunchCommand, type LaunchCommand } from '../launch-command';
import { oversubscribedMachines, type OversubscribedMachine } from '../oversubscription';
import type { MemberRecord } from '../records';
import type { TaskContext } from './context';

export const HOSTFILE = 'msched-hostfile';
export const NATIVE_RANK_WRAPPER = 'msched-rank-exec';

/**
 * What wraps every rank: the native wrapper built next to dist when a C compiler was there at build
 * time (about 1 MB resident per rank), else the node one (about 40 MB). Both do the same job.
 */
export function rankWrapperCommand(dist: string): string[] {
  const native = join(dist, NATIVE_RANK_WRAPPER);
  return existsSync(native) ? [native, process.execPath, join(dist, 'rank-helper.js')] : [process.execPath, join(dist, 'rank-wrapper.js')];
}

/** The registered gang cannot run as placed: a dispatcher bug, not a reason to retry. */
export class PlacementError extends Error {}

export interface PreparedLaunch extends LaunchCommand {
  /** Hosts in rank order, as written to the hostfile. */
  readonly hosts: readonly HostSlots[];
  /** Machines with more ranks than cores, which MPI was told about. */
  readonly oversubscribed: readonly OversubscribedMachine[];
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
  const dist = join(__dirname, '..');
  const command = buildLaunchCommand({
    flavour: gang.flavour,
    launcherPath: gang.mpi.launcherPath,
    hostfilePath,
    ranks: gang.ranks,
    remoteShellPath: writeRemoteShellExecutable(join(gang.sandbox, '.msched'), process.execPath, join(dist, 'remote-shell.js')),
    // Same node and dist path on every agent (the runner location): see README.md.
    rankCommand: [...rankWrapperCommand(dist), ...gang.app.argv],
    interfaces: gang.mpi.interfaces,
    openmpiBtl: gang.mpi.openmpiBtl,
    // The agent's hostname as Mesos knows it is reachable by construction; gethostname() may not be.
    launcherAddress: gang.mpi.launcherAddress ?? gang.member.hostname,
    controlPort: gang.member.port,
    runningAsRoot: process.getuid?.() === 0,
    oversubscribed: oversubscribed.length > 0,
  });
  return { ...command, hosts, oversubscribed };
}
