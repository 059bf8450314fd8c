import { SCALAR_EPSILON } from '@msched/mesos/protocol';
import { diskPerRankOf, type GangRequest } from '../request/gang-request';
import type { AgentResources } from '../snapshot/agent-resources';

/** Read once: each read of the re-exported binding is a getter call, and this runs per agent per gang tried. */
const EPSILON = SCALAR_EPSILON;

/** How many ranks fit on an agent by cpus, memory and disk (ports are per agent, not per rank). */
export function slotsOn(agent: AgentResources, req: GangRequest): number {
  let slots = Math.floor((agent.cpus + EPSILON) / req.cpusPerRank);
  const byMem = Math.floor((agent.mem + EPSILON) / req.memMbPerRank);
  if (byMem < slots) slots = byMem;
  const disk = diskPerRankOf(req);
  if (disk > 0) {
    const byDisk = Math.floor((agent.disk + EPSILON) / disk);
    if (byDisk < slots) slots = byDisk;
  }
  return slots;
}

/** An agent that passed every filter, with the ranks it can hold. */
export interface Candidate {
  readonly agent: AgentResources;
  readonly slots: number;
}
