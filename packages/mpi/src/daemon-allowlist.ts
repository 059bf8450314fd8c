import { basename } from 'node:path';

/**
 * The only programs a task agrees to start on a remote shell's request: the MPI daemons. The request comes
 * through ZooKeeper, so without this check anything able to write there could run any command on
 * every agent of the gang.
 */
export const MPI_DAEMONS: readonly string[] = ['orted', 'hydra_pmi_proxy'];

export function isMpiDaemon(argv: readonly string[]): boolean {
  return argv.length > 0 && MPI_DAEMONS.includes(basename(argv[0]));
}
