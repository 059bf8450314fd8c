/**
 * The remote shell is called the way an MPI launcher calls ssh: `<remote shell> [ssh options] <host> <command...>`.
 * Hydra adds `-x`; OpenMPI adds nothing unless configured (plm_rsh_args). Options that take a value
 * in ssh consume the next argument, so a value is never mistaken for the host.
 */
export interface RemoteShellCall {
  readonly host: string;
  /** The remote command as ssh would send it: the words joined with single blanks. */
  readonly command: string;
}

const SSH_OPTIONS_WITH_VALUE = new Set(['-b', '-c', '-D', '-E', '-e', '-F', '-I', '-i', '-J', '-L', '-l', '-m', '-O', '-o', '-p', '-Q', '-R', '-S', '-W', '-w']);

export class RemoteShellUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RemoteShellUsageError';
  }
}

export function parseRemoteShellArgs(args: readonly string[]): RemoteShellCall {
  let i = 0;
  while (i < args.length && args[i].startsWith('-') && args[i] !== '--') {
    // `-p22` carries its value inline; `-p 22` in the next argument.
    i += SSH_OPTIONS_WITH_VALUE.has(args[i]) ? 2 : 1;
  }
  if (args[i] === '--') i++;
  const host = args[i];
  if (!host) throw new RemoteShellUsageError('usage: msched-remote-shell [ssh options] <host> <command...>: no host given');
  const words = args.slice(i + 1);
  if (words.length === 0) throw new RemoteShellUsageError(`usage: msched-remote-shell [ssh options] <host> <command...>: no command for ${host}`);
  return { host: host.replace(/^[^@]*@/, ''), command: words.join(' ') };
}
