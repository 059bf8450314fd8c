import type { CommandInfo } from '../protocol/mesos-types';

export interface SpawnSpec { file: string; args: string[]; argv0: string }

/**
 * How Mesos runs a CommandInfo: `shell` (default true) runs `value` under `/bin/sh -c`; with
 * `shell: false`, `value` is the executable and `arguments` the whole argv (argv[0] included).
 * Never a shell unless shell is true.
 */
export function commandLine(cmd: CommandInfo): SpawnSpec | { error: string } {
  const value = cmd.value;
  if (!value) return { error: "'CommandInfo.value' must be set" };
  if (cmd.shell !== false) return { file: '/bin/sh', args: ['-c', value], argv0: 'sh' };
  const argv = cmd.arguments ?? [];
  return { file: value, args: argv.slice(1), argv0: argv[0] ?? value };
}
