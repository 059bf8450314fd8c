import type { Offer, Resource } from '@msched/mesos';
import type { AgentResources, ClusterCapacity } from '@msched/gang';

export interface OfferSpec {
  id?: string;
  agent: string;
  host?: string;
  cpus?: number;
  mem?: number;
  disk?: number;
  ports?: Array<[number, number]>;
  role?: string;
  attributes?: Record<string, string>;
  extra?: Resource[];
}

let counter = 0;

/** A Mesos offer as a MULTI_ROLE master sends it (allocation_info on the offer and each resource). */
export function offer(s: OfferSpec): Offer {
  const role = s.role ?? 'mpi';
  const alloc = { allocation_info: { role } };
  const resources: Resource[] = [];
  if (s.cpus !== undefined) resources.push({ name: 'cpus', type: 'SCALAR', scalar: { value: s.cpus }, role: '*', ...alloc });
  if (s.mem !== undefined) resources.push({ name: 'mem', type: 'SCALAR', scalar: { value: s.mem }, role: '*', ...alloc });
  if (s.disk !== undefined) resources.push({ name: 'disk', type: 'SCALAR', scalar: { value: s.disk }, role: '*', ...alloc });
  const ports = s.ports ?? [[31000, 31099]];
  if (ports.length) resources.push({ name: 'ports', type: 'RANGES', ranges: { range: ports.map(([begin, end]) => ({ begin, end })) }, role: '*', ...alloc });
  resources.push(...(s.extra ?? []));
  return {
    id: { value: s.id ?? `O-${++counter}` },
    framework_id: { value: 'F-test' },
    agent_id: { value: s.agent },
    hostname: s.host ?? s.agent,
    allocation_info: { role },
    resources,
    attributes: Object.entries(s.attributes ?? {}).map(([name, value]) => ({ name, type: 'TEXT' as const, text: { value } })),
  };
}

/** Cluster capacity as fitsCluster sees it: totals per agent. */
export function capacity(agents: Array<{ agent: string; cpus: number; mem: number; ports?: number }>): ClusterCapacity {
  return {
    agents: agents.map((a): AgentResources => ({
      agentId: a.agent,
      hostname: a.agent,
      cpus: a.cpus,
      mem: a.mem,
      disk: 0,
      ports: a.ports === 0 ? [] : [{ begin: 31000, end: 31000 + (a.ports ?? 100) - 1 }],
      portCount: a.ports ?? 100,
      attributes: {},
      offerIds: [],
    })),
  };
}
