/**
 * The mpirun / mpiexec command line of a gang, as argv. Daemons are started through our remote shell in
 * place of ssh, so the launcher never needs SSH or a shared file system (see README.md).
 */
export interface LaunchPlan {
  readonly flavour: 'openmpi' | 'mpich';
  /** mpirun.openmpi or mpiexec.hydra. */
  readonly launcherPath: string;
  readonly hostfilePath: string;
  readonly ranks: number;
  /** Executable standing in for ssh. */
  readonly remoteShellPath: string;
  /** What every rank runs: our rank wrapper followed by the application argv. */
  readonly rankCommand: readonly string[];
  readonly interfaces: readonly string[];
  readonly openmpiBtl: string;
  /** MPICH: the address proxies dial back to (mpiexec -localhost); Hydra's gethostname() if unset. */
  readonly launcherAddress?: string;
  /** MPICH: pin mpiexec's control port to a port from the launcher's offer. */
  readonly controlPort?: number;
  /** OpenMPI refuses to run as root unless told twice. */
  readonly runningAsRoot: boolean;
  /**
   * Some machine of the placement has more ranks than cores (oversubscription.ts): ranks must yield
   * the core while they wait instead of busy-polling it away from the rank they wait for.
   */
  readonly oversubscribed?: boolean;
}

export interface LaunchCommand {
  readonly argv: string[];
  /** Variables to add to the launcher's environment. */
  readonly env: Record<string, string>;
}

/**
 * Ranks start in `/` (present on every agent) because the launcher's sandbox path exists only on its
 * own agent and Hydra refuses a missing working directory; the rank wrapper then moves each rank
 * into its own agent's sandbox.
 */
const NEUTRAL_WDIR = '/';

function openmpi(p: LaunchPlan): LaunchCommand {
  const argv = [
    p.launcherPath,
    '--hostfile', p.hostfilePath,
    '-np', String(p.ranks),
    '--mca', 'plm_rsh_agent', p.remoteShellPath,
    // Every daemon is launched by mpirun itself, so every remote shell runs next to the launcher; a tree
    // spawn would make daemons launch daemons from other agents.
    '--mca', 'plm_rsh_no_tree_spawn', '1',
    // Without tree spawn OpenMPI daemonizes orted, which would escape the task that ran it.
    '--leave-session-attached',
    // Mesos shares cpus by cgroup quota, not by pinned cores; several gangs may share an agent.
    '--bind-to', 'none',
    // Started by absolute path, mpirun would prefix each daemon command with shell assignments
    // (PATH=<prefix>/bin:$PATH ; export PATH ; ...) that only a shell can run: orted comes from PATH.
    '--noprefix',
    '--wdir', NEUTRAL_WDIR,
    // Measured with Debian's OpenMPI 4.1.4: orted now and then segfaults in
    // hwloc_shmem_topology_write while publishing the topology in shared memory (a start-up
    // optimisation only); "none" turns that sharing off.
    '--mca', 'rtc_hwloc_vmhole', 'none',
  ];
  // OpenMPI turns this on by itself only when it sees more ranks than slots on a host, which the
  // hostfile of a placement never shows (slots are what the agent granted).
  if (p.oversubscribed) argv.push('--mca', 'mpi_yield_when_idle', '1');
  if (p.openmpiBtl) argv.push('--mca', 'btl', p.openmpiBtl);
  if (p.interfaces.length) {
    const list = p.interfaces.join(',');
    argv.push('--mca', 'btl_tcp_if_include', list, '--mca', 'oob_tcp_if_include', list);
  }
  argv.push(...p.rankCommand);
  const env: Record<string, string> = p.runningAsRoot ? { OMPI_ALLOW_RUN_AS_ROOT: '1', OMPI_ALLOW_RUN_AS_ROOT_CONFIRM: '1' } : {};
  return { argv, env };
}

function mpich(p: LaunchPlan): LaunchCommand {
  const argv = [
    p.launcherPath,
    '-f', p.hostfilePath,
    '-n', String(p.ranks),
    '-launcher', 'ssh',
    '-launcher-exec', p.remoteShellPath,
    // By default Hydra copies mpiexec's environment over every rank's, which would give ranks on
    // other agents the launcher agent's identity; with -genvnone each rank keeps its own agent's.
    '-genvnone',
    '-wdir', NEUTRAL_WDIR,
  ];
  if (p.launcherAddress) argv.push('-localhost', p.launcherAddress);
  if (p.interfaces.length) argv.push('-iface', p.interfaces[0]);
  argv.push(...p.rankCommand);
  const env: Record<string, string> = p.controlPort ? { MPIEXEC_PORT_RANGE: `${p.controlPort}:${p.controlPort}` } : {};
  return { argv, env };
}

export function buildLaunchCommand(plan: LaunchPlan): LaunchCommand {
  if (!Number.isInteger(plan.ranks) || plan.ranks < 1) throw new Error(`cannot launch ${plan.ranks} ranks`);
  if (plan.rankCommand.length === 0) throw new Error('no rank command');
  return plan.flavour === 'openmpi' ? openmpi(plan) : mpich(plan);
}
