import type { GangRequest } from '../request/gang-request';
import type { AgentResources } from '../snapshot/agent-resources';
import { placeOnAgents } from '../placement/place-gang';
import type { RunningGang } from './types';

/**
 * When would the head gang fit, if nothing else started? Adds the resources of running gangs of its
 * role to what is free now, in the order they end (each at the latest at launch + wall time), and
 * returns the first end time at which the gang places. Undefined when running gangs alone can never
 * free enough: the capacity it waits for is outside our view (other frameworks, unoffered agents).
 * Ports are left out of the estimate: ranks give them back with their agent.
 */
export function estimateReservationTime(request: GangRequest, freeNow: readonly AgentResources[], running: readonly RunningGang[]): number | undefined {
  const ending = running.filter((g) => g.role === request.role).sort((a, b) => a.expectedEndAt - b.expectedEndAt);
  if (ending.length === 0) return undefined;
  const projected = new Map<string, { agentId: string; hostname: string; cpus: number; mem: number; disk: number }>();
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
      const p = projected.get(s.agentId) ?? { agentId: s.agentId, hostname: s.hostname, cpus: 0, mem: 0, disk: 0 };
      p.cpus += s.cpus;
      p.mem += s.mem;
      p.disk += s.disk;
      projected.set(s.agentId, p);
      cpus += s.cpus;
      mem += s.mem;
    }
    // Cheap necessary condition first; the full placement only when the totals could suffice.
    if (cpus < needCpus || mem < needMem) continue;
    const agents: AgentResources[] = [...projected.values()]
      .sort((x, y) => (x.agentId < y.agentId ? -1 : x.agentId > y.agentId ? 1 : 0))
      .map((p) => ({ ...p, ports: [], portCount: 0, attributes: {}, offerIds: [] }));
    if (placeOnAgents(probe, agents, 'free').kind === 'placed') return gang.expectedEndAt;
  }
  return undefined;
}
