/**
 * Whether a placed gang puts more ranks on a machine than it has cores. Mesos accounts for cpus as
 * its agents advertise them: an agent may advertise more than the machine has, and several agents
 * may share one machine (the local cluster; containers on one host). MPI cannot see either: every
 * hostfile line looks like its own machine with `slots` cores, so ranks busy-poll as if each had a
 * core to itself, and on an oversubscribed machine they starve the rank they wait for (measured with
 * hpcc, 4 ranks on 2 cores: HPL 5-20x slower, wall time 5-10x longer). Told, MPI yields when idle.
 */
import type { MemberRecord } from './records';

export interface OversubscribedMachine {
  readonly machine: string;
  readonly hostnames: readonly string[];
  readonly ranks: number;
  readonly cores: number;
}

/**
 * The machines of the placement with more ranks than cores. Members are grouped by the machine they
 * reported (agents on one kernel share its cores); a member that did not report one is its own
 * machine, and one that did not report its cores is never judged oversubscribed.
 */
export function oversubscribedMachines(members: readonly Pick<MemberRecord, 'hostname' | 'slots' | 'machine' | 'cores'>[]): OversubscribedMachine[] {
  const groups = new Map<string, { hostnames: string[]; ranks: number; cores: number | undefined }>();
  for (const m of members) {
    const key = m.machine ?? `host:${m.hostname}`;
    const g = groups.get(key) ?? { hostnames: [], ranks: 0, cores: m.cores };
    g.hostnames.push(m.hostname);
    g.ranks += m.slots;
    // Cores seen from inside each task may differ (affinity masks): the fewest is what all share.
    g.cores = g.cores === undefined || m.cores === undefined ? undefined : Math.min(g.cores, m.cores);
    groups.set(key, g);
  }
  return [...groups].flatMap(([machine, g]) => (g.cores !== undefined && g.ranks > g.cores ? [{ machine, hostnames: g.hostnames, ranks: g.ranks, cores: g.cores }] : []));
}
