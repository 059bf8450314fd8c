import { readFileSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';

/** The machine a task runs on, as the gang's launcher needs it to see oversubscription. */
export interface MachineFacts {
  /** Same for every task on one kernel (so for agents or containers sharing a machine's cores). */
  readonly machine: string;
  /** Cores this task may run on (its affinity mask), not what its agent advertises. */
  readonly cores: number;
}

function firstLine(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export function thisMachine(): MachineFacts {
  // The kernel's boot id is shared by every container on the host, unlike /etc/machine-id.
  const id = firstLine('/proc/sys/kernel/random/boot_id') ?? firstLine('/etc/machine-id') ?? `hostname:${hostname()}`;
  return { machine: id, cores: availableParallelism() };
}
