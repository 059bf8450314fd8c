import { SCALAR_EPSILON } from '@msched/mesos/protocol';
import { InvalidGangRequestError } from '../errors';
import { diskPerRankOf, nodeLayout, portsPerAgentOf, validateGangRequest, type GangRequest } from '../request/gang-request';
import type { AgentResources } from '../snapshot/agent-resources';
import type { OfferSnapshot } from '../snapshot/offer-snapshot';
import { takePorts } from '../snapshot/ports';
import type { AgentFilter, FilterContext } from './filters/agent-filter';
import { cpuFilter } from './filters/cpu-filter';
import { diskFilter } from './filters/disk-filter';
import { memFilter } from './filters/mem-filter';
import { nodeSizeFilter } from './filters/node-size-filter';
import { portsFilter } from './filters/ports-filter';
import { basisWord, num, plural } from './format';
import { planPack } from './plans/pack-plan';
import { planPerNode } from './plans/per-node-plan';
import type { Pick } from './plans/plan';
import { mostSlotsFirst } from './rankers/most-slots-first';
import { slotsOn, type Candidate } from './slots';
import type { AgentRejection, Assignment, PlacementResult, ResourceBasis, Unplaceable } from './types';

/** Read once: each read of the re-exported binding is a getter call, and this runs per agent per gang tried. */
const EPSILON = SCALAR_EPSILON;

/**
 * The placement stack (Nomad's stack.go): the filters, the ranker and the plan, wired in one place.
 * Each step is a small module of its own; this file only decides which ones apply and in what order.
 */
function filtersFor(request: GangRequest): AgentFilter[] {
  const filters = [cpuFilter, memFilter];
  if (diskPerRankOf(request) > 0) filters.push(diskFilter);
  if (portsPerAgentOf(request) > 0) filters.push(portsFilter);
  if (request.nodeCount !== undefined) filters.push(nodeSizeFilter);
  return filters;
}

export interface PlacementOptions {
  /** Per-agent lines kept in `reasons` (all of them stay in `rejections`). */
  readonly maxReasonDetails?: number;
}

/**
 * Places every rank of a gang on the offers of its role, or none: either one assignment per agent
 * used (contiguous ranks, one task each), or the reasons why not.
 * Throws InvalidGangRequestError for a request that breaks the rules (validate at the edge first).
 */
export function placeGang(request: GangRequest, snapshot: OfferSnapshot, options: PlacementOptions = {}): PlacementResult {
  const result = placeOnAgents(request, snapshot.agents(request.role), 'free', options);
  if (result.kind === 'unplaceable' && snapshot.agents(request.role).length === 0) {
    const others = snapshot.roles().filter((r) => r !== request.role);
    if (others.length) return { ...result, reasons: [...result.reasons, `offers are held only for other roles: ${others.join(', ')}`] };
  }
  return result;
}

interface ListTotals {
  readonly cpus: number;
  readonly mem: number;
}

/**
 * Sums per agent list, computed once per list: the offer policy tries every waiting gang against
 * the same list (one per set of held offers), and most of them are simply too big for it.
 */
const totalsOfList = new WeakMap<readonly AgentResources[], ListTotals>();

function totalsOf(agents: readonly AgentResources[]): ListTotals {
  let t = totalsOfList.get(agents);
  if (!t) {
    let cpus = 0;
    let mem = 0;
    for (const a of agents) {
      cpus += a.cpus;
      mem += a.mem;
    }
    totalsOfList.set(agents, (t = { cpus, mem }));
  }
  return t;
}

/**
 * True when the gang surely cannot be placed on these agents, whatever the filters and plan say: its
 * cpus or memory exceed the list's totals (with each agent's rounding slack). A necessary condition
 * only: false says nothing.
 */
function surelyTooBig(request: GangRequest, agents: readonly AgentResources[]): boolean {
  const t = totalsOf(agents);
  const slack = agents.length * EPSILON;
  return request.ranks * request.cpusPerRank > t.cpus + slack || request.ranks * request.memMbPerRank > t.mem + slack;
}

/**
 * An unplaceable result whose reasons and rejections are worked out only when read: the policy
 * tries many gangs that do not fit and reads the reasons of few (they are words for people).
 */
function lazilyUnplaceable(work: () => { reasons: readonly string[]; rejections: readonly AgentRejection[] }): Unplaceable {
  let done: { reasons: readonly string[]; rejections: readonly AgentRejection[] } | undefined;
  return {
    kind: 'unplaceable',
    get reasons() {
      return (done ??= work()).reasons;
    },
    get rejections() {
      return (done ??= work()).rejections;
    },
  };
}

/** The same stack over any list of agents (offers' free resources, or the cluster's totals). */
export function placeOnAgents(request: GangRequest, agents: readonly AgentResources[], basis: ResourceBasis, options: PlacementOptions = {}): PlacementResult {
  const problems = validateGangRequest(request);
  if (problems.length) throw new InvalidGangRequestError(problems);
  if (agents.length > 0 && surelyTooBig(request, agents)) {
    return lazilyUnplaceable(() => fullPlacement(request, agents, basis, options) as Unplaceable);
  }
  return fullPlacement(request, agents, basis, options);
}

function fullPlacement(request: GangRequest, agents: readonly AgentResources[], basis: ResourceBasis, options: PlacementOptions): PlacementResult {
  const layout = request.nodeCount !== undefined ? nodeLayout(request.ranks, request.nodeCount) : undefined;
  const ctx: FilterContext = { request, basis, layout, portsPerAgent: portsPerAgentOf(request), diskPerRank: diskPerRankOf(request) };
  const filters = filtersFor(request);

  const candidates: Candidate[] = [];
  const refused: Array<{ agent: AgentResources; filter: AgentFilter; slots: number }> = [];
  for (const agent of agents) {
    const slots = slotsOn(agent, request);
    let refusedBy: AgentFilter | undefined;
    for (const f of filters) {
      if (!f.admits(agent, ctx, slots)) {
        refusedBy = f;
        break;
      }
    }
    if (refusedBy) refused.push({ agent, filter: refusedBy, slots });
    else candidates.push({ agent, slots });
  }

  const ranked = mostSlotsFirst(candidates);
  const plan = layout ? planPerNode(ranked, layout) : planPack(ranked, request.ranks);
  if (plan.ok) return { kind: 'placed', assignments: assign(request, plan.picks) };

  return lazilyUnplaceable(() => {
    const rejections: AgentRejection[] = refused.map(({ agent, filter, slots }) => ({
      agentId: agent.agentId,
      hostname: agent.hostname,
      filter: filter.name,
      reason: filter.explain(agent, ctx, slots),
    }));
    return { reasons: explain(request, agents, basis, plan.shortfall, rejections, options), rejections };
  });
}

function assign(request: GangRequest, picks: readonly Pick[]): Assignment[] {
  const disk = diskPerRankOf(request);
  const ports = portsPerAgentOf(request);
  let next = 0;
  return picks.map(({ candidate: { agent }, ranks }) => {
    // A plain loop: Array.from({ length }) over an array-like was the placement's largest cost on
    // thousand-rank gangs (the simulator places such a gang at every reservation estimate).
    const numbers = new Array<number>(ranks);
    for (let i = 0; i < ranks; i++) numbers[i] = next + i;
    next += ranks;
    return {
      agentId: agent.agentId,
      hostname: agent.hostname,
      offerIds: agent.offerIds,
      ranks: numbers,
      cpus: ranks * request.cpusPerRank,
      mem: ranks * request.memMbPerRank,
      disk: ranks * disk,
      ports: takePorts(agent.ports, ports),
    };
  });
}

function explain(
  request: GangRequest,
  agents: readonly AgentResources[],
  basis: ResourceBasis,
  shortfall: string,
  rejections: readonly AgentRejection[],
  options: PlacementOptions,
): string[] {
  if (agents.length === 0) {
    return [basis === 'free' ? `no offers for role "${request.role}"` : `no agent has resources for role "${request.role}"`];
  }
  let cpus = 0;
  let mem = 0;
  for (const a of agents) {
    cpus += a.cpus;
    mem += a.mem;
  }
  const reasons = [
    `${plural(request.ranks, 'rank')} ${request.ranks === 1 ? 'needs' : 'need'} ${num(request.ranks * request.cpusPerRank)} cpus and ${num(request.ranks * request.memMbPerRank)} MB memory; ` +
      `${num(cpus)} cpus and ${num(mem)} MB ${basisWord(basis)} on ${plural(agents.length, 'agent')}`,
    shortfall,
  ];
  if (rejections.length) {
    const byFilter = new Map<string, number>();
    for (const r of rejections) byFilter.set(r.filter, (byFilter.get(r.filter) ?? 0) + 1);
    reasons.push(`left out: ${[...byFilter].map(([f, n]) => `${plural(n, 'agent')} by ${f}`).join(', ')}`);
    const max = options.maxReasonDetails ?? 20;
    for (const r of rejections.slice(0, max)) reasons.push(r.reason);
    if (rejections.length > max) reasons.push(`… and ${plural(rejections.length - max, 'more agent')} left out`);
  }
  return reasons;
}
