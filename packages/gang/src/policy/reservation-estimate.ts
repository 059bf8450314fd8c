import type { GangRequest } from '../request/gang-request';
import type { AgentResources } from '../snapshot/agent-resources';
import { placeOnAgents } from '../placement/place-gang';
import type { RunningGang } from './types';

/** Resources one agent is expected to have left over at the head's reservation time. */
export interface SpareResources {
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
}

/** When the head gang is expected to fit, what is free then, and what it will leave over then (EASY's "extra" nodes). */
export interface ReservationEstimate {
  /** Epoch ms: the end (launch + wall time) of the running gang after which the head places. */
  readonly fitsAt: number;
  /**
   * Per agent id: projected free resources at `fitsAt` that the head's placement does not take; only
   * agents with cpus and memory left are listed (the others have nothing to backfill onto).
   */
  readonly spare: ReadonlyMap<string, SpareResources>;
  /**
   * Per agent id, in agent-id order: projected free resources at `fitsAt`, the head's share included
   * (spare-backfill.ts's 'head-fits' rule). Only agents with cpus and memory are listed.
   */
  readonly atReservation: ReadonlyMap<string, SpareResources>;
}

interface Projected {
  agentId: string;
  hostname: string;
  cpus: number;
  mem: number;
  disk: number;
}

const NO_PORTS: AgentResources['ports'] = [];
const NO_ATTRIBUTES: AgentResources['attributes'] = Object.freeze({});
const NO_OFFERS: AgentResources['offerIds'] = [];

const byAgentId = (x: Projected, y: Projected): number => (x.agentId < y.agentId ? -1 : x.agentId > y.agentId ? 1 : 0);

/**
 * When would the head gang fit, if nothing else started? Adds the resources of running gangs of its
 * role to what is free now, in the order they end (each at the latest at launch + wall time), and
 * returns the first end time at which the gang places, with what is free then and what its placement leaves over.
 * Undefined when running gangs alone can never free enough: the capacity it waits for is outside our
 * view (other frameworks, unoffered agents). Ports are left out of the estimate: ranks give them back
 * with their agent.
 */
export function estimateReservation(request: GangRequest, freeNow: readonly AgentResources[], running: readonly RunningGang[]): ReservationEstimate | undefined {
  const ending = running.filter((g) => g.role === request.role).sort((a, b) => a.expectedEndAt - b.expectedEndAt);
  if (ending.length === 0) return undefined;
  const projected = new Map<string, Projected>();
  let cpus = 0;
  let mem = 0;
  for (const a of freeNow) {
    projected.set(a.agentId, { agentId: a.agentId, hostname: a.hostname, cpus: a.cpus, mem: a.mem, disk: a.disk });
    cpus += a.cpus;
    mem += a.mem;
  }
  const probe: GangRequest = { ...request, portsPerAgent: 0 };
  const needCpus = request.ranks * request.cpusPerRank;
  const needMem = request.ranks * request.memMbPerRank;
  for (const gang of ending) {
    for (const s of gang.shares) {
      let p = projected.get(s.agentId);
      if (!p) projected.set(s.agentId, (p = { agentId: s.agentId, hostname: s.hostname, cpus: 0, mem: 0, disk: 0 }));
      p.cpus += s.cpus;
      p.mem += s.mem;
      p.disk += s.disk;
      cpus += s.cpus;
      mem += s.mem;
    }
    // Cheap necessary condition first; the full placement only when the totals could suffice.
    if (cpus < needCpus || mem < needMem) continue;
    const list = [...projected.values()].sort(byAgentId);
    const agents: AgentResources[] = list.map((p) => ({
      agentId: p.agentId, hostname: p.hostname, cpus: p.cpus, mem: p.mem, disk: p.disk, ports: NO_PORTS, portCount: 0, attributes: NO_ATTRIBUTES, offerIds: NO_OFFERS,
    }));
    const placed = placeOnAgents(probe, agents, 'free');
    if (placed.kind !== 'placed') continue;
    const atReservation = new Map<string, SpareResources>();
    for (const p of list) if (p.cpus > 0 && p.mem > 0) atReservation.set(p.agentId, { cpus: p.cpus, mem: p.mem, disk: p.disk });
    for (const a of placed.assignments) {
      const p = projected.get(a.agentId)!;
      p.cpus -= a.cpus;
      p.mem -= a.mem;
      p.disk -= a.disk;
    }
    const spare = new Map<string, SpareResources>();
    for (const p of list) if (p.cpus > 0 && p.mem > 0) spare.set(p.agentId, { cpus: p.cpus, mem: p.mem, disk: p.disk });
    return { fitsAt: gang.expectedEndAt, spare, atReservation };
  }
  return undefined;
}

/** Just the time of `estimateReservation`. */
export function estimateReservationTime(request: GangRequest, freeNow: readonly AgentResources[], running: readonly RunningGang[]): number | undefined {
  return estimateReservation(request, freeNow, running)?.fitsAt;
}
