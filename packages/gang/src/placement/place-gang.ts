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
import { packBySlots, type SlotPick } from './plans/pack-by-slots';
import { planPack } from './plans/pack-plan';
import { planPerNode } from './plans/per-node-plan';
import { mostSlotsFirst } from './rankers/most-slots-first';
import { slotsOn, type Candidate } from './slots';
import type { AgentRejection, Assignment, PlacementResult, ResourceBasis, Unplaceable } from './types';

/** Read once: each read of the re-exported binding is a getter call, and this runs per agent per gang tried. */
const EPSILON = SCALAR_EPSILON;

/** The filters of most gangs, one list for all placements (this runs for every gang tried). */
const CPU_AND_MEM: readonly AgentFilter[] = [cpuFilter, memFilter];

/**
 * The placement stack (Nomad's stack.go): the filters, the ranker and the plan, wired in one place.
 * Each step is a small module of its own; this file only decides which ones apply and in what order.
 */
function filtersFor(request: GangRequest): readonly AgentFilter[] {
  if (!(diskPerRankOf(request) > 0) && !(portsPerAgentOf(request) > 0) && request.nodeCount === undefined) return CPU_AND_MEM;
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
    if (others.length) return { kind: 'unplaceable', reasons: [...result.reasons, `offers are held only for other roles: ${others.join(', ')}`], rejections: result.rejections };
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
  if (!t) totalsOfList.set(agents, (t = sumOf(agents)));
  return t;
}

function sumOf(agents: readonly AgentResources[]): ListTotals {
  let cpus = 0;
  let mem = 0;
  for (const a of agents) {
    cpus += a.cpus;
    mem += a.mem;
  }
  return { cpus, mem };
}

/**
 * True when the gang surely cannot be placed on these agents, whatever the filters and plan say: its
 * cpus or memory exceed the list's totals (with each agent's rounding slack). A necessary condition
 * only: false says nothing.
 */
function surelyTooBig(request: GangRequest, agents: readonly AgentResources[], t: ListTotals = totalsOf(agents)): boolean {
  const slack = agents.length * EPSILON;
  return request.ranks * request.cpusPerRank > t.cpus + slack || request.ranks * request.memMbPerRank > t.mem + slack;
}

type Explanation = { reasons: readonly string[]; rejections: readonly AgentRejection[] };

/**
 * An unplaceable result whose reasons and rejections are worked out only when read: the policy
 * tries many gangs that do not fit and reads the reasons of few (they are words for people). A class
 * rather than an object literal with getters: the literal made two new accessor functions per
 * result, and the policy makes a result for nearly every waiting gang on every event.
 */
class LazilyUnplaceable implements Unplaceable {
  readonly kind = 'unplaceable';
  private done: Explanation | undefined;

  constructor(private readonly work: () => Explanation) {}

  get reasons(): readonly string[] {
    return (this.done ??= this.work()).reasons;
  }

  get rejections(): readonly AgentRejection[] {
    return (this.done ??= this.work()).rejections;
  }
}

function lazilyUnplaceable(work: () => Explanation): Unplaceable {
  return new LazilyUnplaceable(work);
}

/** The same stack over any list of agents (offers' free resources, or the cluster's totals). */
export function placeOnAgents(request: GangRequest, agents: readonly AgentResources[], basis: ResourceBasis, options: PlacementOptions = {}): PlacementResult {
  const problems = validateGangRequest(request);
  if (problems.length) throw new InvalidGangRequestError(problems);
  if (agents.length > 0 && (surelyTooBig(request, agents) || (request.nodeCount === undefined && packRoom(request, agents, basis) < request.ranks))) {
    return lazilyUnplaceable(() => fullPlacement(request, agents, basis, options) as Unplaceable);
  }
  // Without nodeCount, a gang that got here fits: the pack plan's picks from slot counts alone.
  if (agents.length > 0 && request.nodeCount === undefined) return packedPlacement(request, agents, basis);
  return fullPlacement(request, agents, basis, options);
}

/**
 * How many ranks placeOnAgents would put on which agent, or undefined when it does not place the
 * gang: the reservation estimate needs only that, for the head at every estimate, and rank numbers
 * and ports for every rank of a big head were most of its cost.
 */
export function placementShares(request: GangRequest, agents: readonly AgentResources[], basis: ResourceBasis): Array<{ agentId: string; ranks: number }> | undefined {
  if (agents.length === 0 || request.nodeCount !== undefined) {
    const result = placeOnAgents(request, agents, basis);
    return result.kind === 'placed' ? result.assignments.map((a) => ({ agentId: a.agentId, ranks: a.ranks.length })) : undefined;
  }
  if (!fitsOnAgents(request, agents, basis)) return undefined;
  return packPicks(request, agents, basis).map((p) => ({ agentId: agents[p.agent].agentId, ranks: p.ranks }));
}

/** The pack plan's placement of a gang known to fit (packRoom reaches its ranks, no nodeCount). */
function packedPlacement(request: GangRequest, agents: readonly AgentResources[], basis: ResourceBasis): PlacementResult {
  const picks = packPicks(request, agents, basis);
  return { kind: 'placed', assignments: assign(request, picks.map((p) => ({ agent: agents[p.agent], ranks: p.ranks }))) };
}

/** The pack plan's picks (agent index, ranks) for a gang known to fit without nodeCount. */
function packPicks(request: GangRequest, agents: readonly AgentResources[], basis: ResourceBasis): SlotPick[] {
  const ctx = contextOf(request, basis);
  const filters = filtersFor(request);
  const slots = new Array<number>(agents.length);
  for (let i = 0; i < agents.length; i++) slots[i] = admittedSlots(agents[i], request, ctx, filters);
  const picks = packBySlots(slots, request.ranks);
  if (!picks) throw new Error('the pack plan found no room the room count said was there'); // a bug here, not in the caller
  return picks;
}

/**
 * Whether `placeOnAgents` would place the gang, without building the placement: the reservation
 * estimate and the head-fits check ask only that, on hundreds of agents, for gangs of up to
 * thousands of ranks. Without nodeCount the agents' order does not matter. With nodeCount it is the
 * placement itself (the per-node plan has no shortcut here).
 */
export function fitsOnAgents(request: GangRequest, agents: readonly AgentResources[], basis: ResourceBasis): boolean {
  const problems = validateGangRequest(request);
  if (problems.length) throw new InvalidGangRequestError(problems);
  // As placeOnAgents decides, but with totals summed afresh: callers may pass a list they change between calls.
  if (agents.length > 0 && surelyTooBig(request, agents, sumOf(agents))) return false;
  if (request.nodeCount !== undefined) return fullPlacement(request, agents, basis, {}).kind === 'placed';
  return packRoom(request, agents, basis) >= request.ranks;
}

/** The ranks `agent` has slots for when every filter admits it, else -1: packPicks and packRoom judge alike. */
function admittedSlots(agent: AgentResources, request: GangRequest, ctx: FilterContext, filters: ReturnType<typeof filtersFor>): number {
  const n = slotsOn(agent, request);
  for (const f of filters) if (!f.admits(agent, ctx, n)) return -1;
  return n;
}

function contextOf(request: GangRequest, basis: ResourceBasis): FilterContext {
  const layout = request.nodeCount !== undefined ? nodeLayout(request.ranks, request.nodeCount) : undefined;
  return { request, basis, layout, portsPerAgent: portsPerAgentOf(request), diskPerRank: diskPerRankOf(request) };
}

/**
 * Ranks the pack plan has room for: the slots of every agent the filters admit. Without nodeCount
 * the pack plan places a gang exactly when this reaches its ranks (it fills agents until it does),
 * so a gang that does not fit is refused without candidate lists, ranking or rank numbers.
 */
function packRoom(request: GangRequest, agents: readonly AgentResources[], basis: ResourceBasis): number {
  const ctx = contextOf(request, basis);
  const filters = filtersFor(request);
  let room = 0;
  for (const agent of agents) {
    const slots = admittedSlots(agent, request, ctx, filters);
    if (slots > 0) room += slots;
  }
  return room;
}

function fullPlacement(request: GangRequest, agents: readonly AgentResources[], basis: ResourceBasis, options: PlacementOptions): PlacementResult {
  const ctx = contextOf(request, basis);
  const layout = ctx.layout;
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
  if (plan.ok) return { kind: 'placed', assignments: assign(request, plan.picks.map((p) => ({ agent: p.candidate.agent, ranks: p.ranks }))) };

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

function assign(request: GangRequest, picks: readonly { readonly agent: AgentResources; readonly ranks: number }[]): Assignment[] {
  const disk = diskPerRankOf(request);
  const ports = portsPerAgentOf(request);
  let next = 0;
  return picks.map(({ agent, ranks }) => {
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
