import type { Attribute, Offer, Range, Resource } from '@msched/mesos/protocol';
import type { AgentResources } from './agent-resources';
import { countPorts, mergeRanges } from './ports';

/** Role an offer is allocated to. We subscribe MULTI_ROLE, so masters always say; '*' otherwise. */
export function offerRole(offer: Offer): string {
  return offer.allocation_info?.role ?? offer.resources[0]?.allocation_info?.role ?? '*';
}

/**
 * Resources a rank may use: never revocable ones (they can vanish under a running MPI job), and
 * disk only as plain scratch (volumes and mount disks carry a `disk` field).
 */
export function usableForRanks(r: Resource): boolean {
  if (r.revocable) return false;
  if (r.name === 'disk' && r.disk) return false;
  return true;
}

function attributeValue(a: Attribute): string | number {
  switch (a.type) {
    case 'SCALAR': return a.scalar?.value ?? 0;
    case 'TEXT': return a.text?.value ?? '';
    case 'SET': return (a.set?.item ?? []).join(',');
    case 'RANGES': return (a.ranges?.range ?? []).map((r) => `${r.begin}-${r.end}`).join(',');
    default: return '';
  }
}

/** An agent's record while its offers are summed into it (then read-only as AgentResources). */
interface Accumulator {
  agentId: string;
  hostname: string;
  cpus: number;
  mem: number;
  disk: number;
  ports: Range[];
  portCount: number;
  attributes: Record<string, string | number>;
  offerIds: string[];
}

const NO_ATTRIBUTES: Readonly<Record<string, string | number>> = Object.freeze({});
/** The ports of the many agents offering none: one list for all (records are read-only). */
const NO_PORTS: Range[] = [];

/**
 * Ports merged and counted: the accumulator becomes the record itself (one object per agent, the
 * same shape every time: this runs for every agent whose offers changed, on every offer change).
 */
function finish(a: Accumulator): AgentResources {
  if (a.ports.length > 1) a.ports = mergeRanges(a.ports);
  a.portCount = countPorts(a.ports);
  return a;
}

const byAgentId = (x: AgentResources, y: AgentResources): number => (x.agentId < y.agentId ? -1 : x.agentId > y.agentId ? 1 : 0);

function newAccumulator(offer: Offer): Accumulator {
  let attributes = NO_ATTRIBUTES as Record<string, string | number>;
  const attrs = offer.attributes;
  if (attrs && attrs.length) {
    attributes = {};
    for (const a of attrs) attributes[a.name] = attributeValue(a);
  }
  return { agentId: offer.agent_id.value, hostname: offer.hostname, cpus: 0, mem: 0, disk: 0, ports: NO_PORTS, portCount: 0, attributes, offerIds: [] };
}

function addOffer(acc: Accumulator, offer: Offer): void {
  acc.offerIds.push(offer.id.value);
  for (const r of offer.resources) {
    if (!usableForRanks(r)) continue;
    if (r.name === 'cpus' && r.scalar) acc.cpus += r.scalar.value;
    else if (r.name === 'mem' && r.scalar) acc.mem += r.scalar.value;
    else if (r.name === 'disk' && r.scalar) acc.disk += r.scalar.value;
    else if (r.name === 'ports' && r.ranges) {
      if (acc.ports === NO_PORTS) acc.ports = [];
      for (const range of r.ranges.range) acc.ports.push(range);
    }
  }
}

/**
 * What one agent can give, from its offers for one role (non-empty, in arrival order): the same
 * record `OfferSnapshot.fromOffers` makes for it, the first offer naming its host and attributes.
 */
export function agentFromOffers(offers: readonly Offer[]): AgentResources {
  const acc = newAccumulator(offers[0]);
  for (const o of offers) addOffer(acc, o);
  return finish(acc);
}

/**
 * An immutable view of the offers we hold, grouped per role and per agent: what each agent can give
 * right now. Agents are listed in agent-id order, which makes every placement deterministic.
 */
export class OfferSnapshot {
  private offersById: ReadonlyMap<string, Offer> | undefined;

  private constructor(
    private readonly byRole: ReadonlyMap<string, readonly AgentResources[]>,
    offersById: ReadonlyMap<string, Offer> | (() => ReadonlyMap<string, Offer>),
  ) {
    if (typeof offersById === 'function') this.offersOf = offersById;
    else this.offersById = offersById;
  }

  /** Builds the offer index when it is first asked for (a snapshot kept up to date is read for launches only). */
  private offersOf: (() => ReadonlyMap<string, Offer>) | undefined;

  private get index(): ReadonlyMap<string, Offer> {
    if (!this.offersById) {
      this.offersById = this.offersOf!();
      this.offersOf = undefined;
    }
    return this.offersById;
  }

  static readonly EMPTY = new OfferSnapshot(new Map(), new Map());

  /**
   * A snapshot from agent records already built (each role's list in agent-id order) and a way to
   * find the offers behind them: what a holder of offers that keeps the records up to date uses.
   */
  static fromAgents(byRole: ReadonlyMap<string, readonly AgentResources[]>, offersById: () => ReadonlyMap<string, Offer>): OfferSnapshot {
    return new OfferSnapshot(byRole, offersById);
  }

  static fromOffers(offers: Iterable<Offer>): OfferSnapshot {
    const roles = new Map<string, Map<string, Accumulator>>();
    const offersById = new Map<string, Offer>();
    for (const offer of offers) {
      offersById.set(offer.id.value, offer);
      const role = offerRole(offer);
      let agents = roles.get(role);
      if (!agents) roles.set(role, (agents = new Map()));
      const agentId = offer.agent_id.value;
      let acc = agents.get(agentId);
      if (!acc) agents.set(agentId, (acc = newAccumulator(offer)));
      addOffer(acc, offer);
    }
    const byRole = new Map<string, readonly AgentResources[]>();
    for (const [role, agents] of roles) {
      const list: AgentResources[] = [];
      for (const a of agents.values()) list.push(finish(a));
      byRole.set(role, list.sort(byAgentId));
    }
    return new OfferSnapshot(byRole, offersById);
  }

  /** Agents with offers for `role`, in agent-id order. */
  agents(role: string): readonly AgentResources[] {
    return this.byRole.get(role) ?? [];
  }

  roles(): string[] {
    return [...this.byRole.keys()].sort();
  }

  get offerCount(): number {
    return this.index.size;
  }

  offer(offerId: string): Offer | undefined {
    return this.index.get(offerId);
  }

  /** The offers behind some offer ids (unknown ids are skipped). */
  offers(offerIds: readonly string[]): Offer[] {
    const out: Offer[] = [];
    const index = this.index;
    for (const id of offerIds) {
      const o = index.get(id);
      if (o) out.push(o);
    }
    return out;
  }
}
