import type { ClusterState, ResourceAmounts } from '@msched/mesos/protocol';
import type { AgentResources } from './agent-resources';
import { countPorts, mergeRanges } from './ports';

/**
 * The cluster's total resources per agent as one role can use them (not what is free now): the
 * ground truth for "can this gang ever run here?".
 */
export interface ClusterCapacity {
  readonly agents: readonly AgentResources[];
}

function minus(a: ResourceAmounts, b: ResourceAmounts): ResourceAmounts {
  return { cpus: a.cpus - b.cpus, mem: a.mem - b.mem, disk: a.disk - b.disk, gpus: a.gpus - b.gpus, ports: a.ports };
}

/**
 * Capacity for `role` from `/master/state`: each active agent's total minus what is reserved for
 * other roles (reserved for `role` itself, or unreserved, is usable).
 */
export function capacityFromClusterState(state: ClusterState, role: string): ClusterCapacity {
  const agents = state.agents
    .filter((a) => a.active)
    .map((a): AgentResources => {
      let usable = a.total;
      for (const [r, amounts] of Object.entries(a.reservedByRole)) if (r !== role) usable = minus(usable, amounts);
      const ports = mergeRanges(usable.ports);
      return {
        agentId: a.id,
        hostname: a.hostname,
        cpus: Math.max(0, usable.cpus),
        mem: Math.max(0, usable.mem),
        disk: Math.max(0, usable.disk),
        ports,
        portCount: countPorts(ports),
        attributes: a.attributes,
        offerIds: [],
      };
    })
    .sort((x, y) => (x.agentId < y.agentId ? -1 : x.agentId > y.agentId ? 1 : 0));
  return { agents };
}
