/**
 * The hostfile the launcher hands to mpirun/mpiexec: one line per task of the placement, in task
 * order, with the ranks placed there. Ranks fill hosts in order, so ranks 0..slots0-1 run on the
 * launcher's agent, the next ones on task 1's agent, and so on.
 */
export interface HostSlots {
  readonly hostname: string;
  readonly slots: number;
}

export class HostfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostfileError';
  }
}

/** Letters, digits, dots, dashes, underscores: anything else could be read as hostfile syntax. */
const HOSTNAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export function checkHosts(hosts: readonly HostSlots[]): void {
  if (hosts.length === 0) throw new HostfileError('no hosts');
  const seen = new Set<string>();
  for (const h of hosts) {
    if (!HOSTNAME.test(h.hostname)) throw new HostfileError(`host name ${JSON.stringify(h.hostname)} is not usable in a hostfile`);
    if (!Number.isInteger(h.slots) || h.slots < 1) throw new HostfileError(`host ${h.hostname} has ${h.slots} slots`);
    // MPI merges repeated names into one host, which would silently re-place ranks.
    if (seen.has(h.hostname)) throw new HostfileError(`host ${h.hostname} appears twice: two tasks of one gang on one agent`);
    seen.add(h.hostname);
  }
}

export function renderHostfile(flavour: 'openmpi' | 'mpich', hosts: readonly HostSlots[]): string {
  checkHosts(hosts);
  const line = flavour === 'openmpi' ? (h: HostSlots) => `${h.hostname} slots=${h.slots}` : (h: HostSlots) => `${h.hostname}:${h.slots}`;
  return `${hosts.map(line).join('\n')}\n`;
}

/** The host of a rank when ranks fill hosts in order (MPI's default by-slot mapping). */
export function hostOfRank(hosts: readonly HostSlots[], rank: number): string | undefined {
  let first = 0;
  for (const h of hosts) {
    if (rank < first + h.slots) return rank >= first ? h.hostname : undefined;
    first += h.slots;
  }
  return undefined;
}
