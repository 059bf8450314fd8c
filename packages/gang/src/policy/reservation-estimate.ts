import { diskPerRankOf, type GangRequest } from '../request/gang-request';
import type { AgentResources } from '../snapshot/agent-resources';
import { fitsOnAgents, placementShares } from '../placement/place-gang';
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

/**
 * An agent's projected free resources, in the shape placement reads (no ports, attributes or
 * offers), so the projection itself is handed to placement without a copy per end time tried.
 */
interface Projected {
  readonly agentId: string;
  readonly hostname: string;
  cpus: number;
  mem: number;
  disk: number;
  readonly ports: AgentResources['ports'];
  readonly portCount: number;
  readonly attributes: AgentResources['attributes'];
  readonly offerIds: AgentResources['offerIds'];
}

const NO_PORTS: AgentResources['ports'] = [];
const NO_ATTRIBUTES: AgentResources['attributes'] = Object.freeze({});
const NO_OFFERS: AgentResources['offerIds'] = [];

function projectedAgent(agentId: string, hostname: string, cpus: number, mem: number, disk: number): Projected {
  return { agentId, hostname, cpus, mem, disk, ports: NO_PORTS, portCount: 0, attributes: NO_ATTRIBUTES, offerIds: NO_OFFERS };
}

const byAgentId = (x: AgentResources, y: AgentResources): number => (x.agentId < y.agentId ? -1 : x.agentId > y.agentId ? 1 : 0);

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
  /**
   * Every agent as projected so far, free ones first in the given order: an agent's record from
   * `freeNow` as it is until a running gang gives something back there, then a copy that adds up
   * (most agents of a busy cluster are never copied before the head fits).
   */
  const seen: AgentResources[] = freeNow.slice();
  const positionOf = positions(freeNow);
  const copies = new Map<string, Projected>();
  let cpus = 0;
  let mem = 0;
  for (const a of freeNow) {
    cpus += a.cpus;
    mem += a.mem;
  }
  const probe: GangRequest = { ...request, portsPerAgent: 0 };
  const diskPerRank = diskPerRankOf(probe);
  const needCpus = request.ranks * request.cpusPerRank;
  const needMem = request.ranks * request.memMbPerRank;
  for (const gang of ending) {
    for (const s of gang.shares) {
      let p = copies.get(s.agentId);
      if (!p) {
        const i = positionOf(s.agentId);
        if (i >= 0) {
          const a = freeNow[i];
          seen[i] = p = projectedAgent(a.agentId, a.hostname, a.cpus, a.mem, a.disk);
        } else {
          seen.push((p = projectedAgent(s.agentId, s.hostname, 0, 0, 0)));
        }
        copies.set(s.agentId, p);
      }
      p.cpus += s.cpus;
      p.mem += s.mem;
      p.disk += s.disk;
      cpus += s.cpus;
      mem += s.mem;
    }
    // Cheap necessary condition first; then whether it places at all; the placement itself once.
    if (cpus < needCpus || mem < needMem) continue;
    if (probe.nodeCount === undefined && !fitsOnAgents(probe, seen, 'free')) continue;
    // A copy sorted by agent id, as the snapshot lists agents (placement and the maps below keep that order).
    const list = seen.slice().sort(byAgentId);
    const shares = placementShares(probe, list, 'free');
    if (!shares) continue;
    // What the head's placement takes per agent (as its assignments would say), then one record per
    // agent shared by both maps where the head takes nothing (most agents).
    const taken = new Map<string, SpareResources>();
    for (const { agentId, ranks } of shares) taken.set(agentId, { cpus: ranks * probe.cpusPerRank, mem: ranks * probe.memMbPerRank, disk: ranks * diskPerRank });
    const atReservation = new Map<string, SpareResources>();
    const spare = new Map<string, SpareResources>();
    for (const p of list) {
      const free = p.cpus > 0 && p.mem > 0 ? { cpus: p.cpus, mem: p.mem, disk: p.disk } : undefined;
      if (free) atReservation.set(p.agentId, free);
      const t = taken.get(p.agentId);
      const left = t ? { cpus: p.cpus - t.cpus, mem: p.mem - t.mem, disk: p.disk - t.disk } : free;
      if (left && left.cpus > 0 && left.mem > 0) spare.set(p.agentId, left);
    }
    return { fitsAt: gang.expectedEndAt, spare, atReservation };
  }
  return undefined;
}

/**
 * Where an agent id is in `agents` (-1: absent): by bisection when they are in agent-id order, as
 * the snapshot lists them, else through a map.
 */
function positions(agents: readonly AgentResources[]): (agentId: string) => number {
  for (let i = 1; i < agents.length; i++) {
    if (!(agents[i - 1].agentId < agents[i].agentId)) {
      const index = new Map<string, number>();
      for (let j = 0; j < agents.length; j++) index.set(agents[j].agentId, j);
      return (agentId) => index.get(agentId) ?? -1;
    }
  }
  return (agentId) => {
    let lo = 0;
    let hi = agents.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (agents[mid].agentId < agentId) lo = mid + 1;
      else hi = mid;
    }
    return lo < agents.length && agents[lo].agentId === agentId ? lo : -1;
  };
}

/** Just the time of `estimateReservation`. */
export function estimateReservationTime(request: GangRequest, freeNow: readonly AgentResources[], running: readonly RunningGang[]): number | undefined {
  return estimateReservation(request, freeNow, running)?.fitsAt;
}
