import type { GangRequest } from '../request/gang-request';
import type { AgentResources } from '../snapshot/agent-resources';
import { fitsOnAgents, placeOnAgents } from '../placement/place-gang';
import type { Assignment } from '../placement/types';
import type { SpareResources } from './reservation-estimate';
import type { WaitingGang } from './types';

const NO_PORTS: AgentResources['ports'] = [];
const NO_ATTRIBUTES: AgentResources['attributes'] = Object.freeze({});
const NO_OFFERS: AgentResources['offerIds'] = [];

/**
 * EASY's second rule, per agent: may `gang`, which would run past the head's reservation, start now?
 * It is placed on the free agents, each cut to `spare` (what it may hold at the reservation time).
 *
 * Without `head` ('head-placement' rule), `spare` is what the head's placement leaves over then, so
 * any gang placed on it is safe. With `head` ('head-fits' rule), `spare` is everything free then,
 * the head's share included, and the gang may start when the head still places on what is left:
 * a placement fixed in advance (the lowest agent ids among equals) can count free agents the head
 * would never need as its own, which EASY's count of extra processors does not.
 * Undefined when it may not start.
 */
export function placeOnSpare(gang: WaitingGang, agents: readonly AgentResources[], spare: ReadonlyMap<string, SpareResources>, head?: GangRequest): Assignment[] | undefined {
  const limited = spareAgents(agents, spare);
  if (limited.length === 0) return undefined;
  const result = placeOnAgents(gang.request, limited, 'free');
  if (result.kind !== 'placed') return undefined;
  if (head && !headStillFits(head, spare, result.assignments)) return undefined;
  return [...result.assignments];
}

/** Does the head place on what is expected free at its reservation time once `taken` is held there too? */
export function headStillFits(head: GangRequest, atReservation: ReadonlyMap<string, SpareResources>, taken: readonly Assignment[]): boolean {
  const less = new Map<string, Assignment>();
  for (const a of taken) less.set(a.agentId, a);
  // Cheap necessary condition first, before building any agent (exact when every rank takes one cpu
  // of interchangeable agents, so most calls end here or place).
  let cpus = 0;
  let mem = 0;
  for (const [agentId, s] of atReservation) {
    const t = less.get(agentId);
    const leftCpus = t ? s.cpus - t.cpus : s.cpus;
    const leftMem = t ? s.mem - t.mem : s.mem;
    if (leftCpus <= 0 || leftMem <= 0) continue;
    cpus += leftCpus;
    mem += leftMem;
  }
  if (cpus < head.ranks * head.cpusPerRank || mem < head.ranks * head.memMbPerRank) return false;
  const agents: AgentResources[] = [];
  for (const [agentId, s] of atReservation) {
    const t = less.get(agentId);
    const left = t ? { cpus: s.cpus - t.cpus, mem: s.mem - t.mem, disk: s.disk - t.disk } : s;
    if (left.cpus <= 0 || left.mem <= 0) continue;
    agents.push({ agentId, hostname: t?.hostname ?? agentId, cpus: left.cpus, mem: left.mem, disk: left.disk, ports: NO_PORTS, portCount: 0, attributes: NO_ATTRIBUTES, offerIds: NO_OFFERS });
  }
  const probe = { ...head, portsPerAgent: 0 };
  // Whether it places does not depend on the agents' order unless nodes are laid out.
  if (head.nodeCount === undefined) return fitsOnAgents(probe, agents, 'free');
  agents.sort((x, y) => (x.agentId < y.agentId ? -1 : x.agentId > y.agentId ? 1 : 0));
  return placeOnAgents(probe, agents, 'free').kind === 'placed';
}

/**
 * The agents cut down to what is free at the reservation time, built once per (agents, map) pair:
 * every gang behind the head is tried on the same one until a launch. evaluate() replaces its agent
 * list (and the map) whenever it takes from the map, so a pair seen again has not changed.
 */
const spareAgentsOf = new WeakMap<readonly AgentResources[], { spare: ReadonlyMap<string, SpareResources>; limited: readonly AgentResources[] }>();

function spareAgents(agents: readonly AgentResources[], spare: ReadonlyMap<string, SpareResources>): readonly AgentResources[] {
  const known = spareAgentsOf.get(agents);
  if (known?.spare === spare) return known.limited;
  const limited: AgentResources[] = [];
  for (const a of agents) {
    const s = spare.get(a.agentId);
    if (!s || s.cpus <= 0 || s.mem <= 0) continue;
    limited.push({ ...a, cpus: Math.min(a.cpus, s.cpus), mem: Math.min(a.mem, s.mem), disk: Math.min(a.disk, Math.max(0, s.disk)) });
  }
  spareAgentsOf.set(agents, { spare, limited });
  return limited;
}
