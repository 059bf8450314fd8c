import type { Logger } from '@msched/logging';
import { allocate, AllocatableAgent, AllocatableFramework } from '../allocator/allocate';
import { DeclineFilters } from '../allocator/decline-filters';
import type { Offer } from '../protocol/mesos-types';
import { Bag, EMPTY, add, toResources } from '../resources/bag';
import type { AgentRecord, OfferRecord } from './records';

export interface OfferBookDeps {
  idPrefix: string;
  offerTimeoutMs?: number;
  /** The master's clock (ms since the epoch). */
  now(): number;
  logger: Logger;
  agent(id: string): AgentRecord | undefined;
  /** Tells a framework its offer is gone (RESCIND). */
  rescinded(frameworkId: string, offerId: string): void;
  /** Hands new offers to a framework (one OFFERS event). */
  offered(frameworkId: string, offers: Offer[]): void;
}

/** Outstanding offers, decline filters and the allocation cycle that makes new offers. */
export class OfferBook {
  private readonly offers = new Map<string, OfferRecord>();
  readonly filters = new DeclineFilters();
  private cursor = 0;
  private seq = 0;
  private lastSkips = '';

  constructor(private readonly deps: OfferBookDeps) {}

  get(id: string): OfferRecord | undefined {
    return this.offers.get(id);
  }

  all(): OfferRecord[] {
    return [...this.offers.values()];
  }

  offeredOn(agentId: string): Bag {
    let offered = EMPTY;
    for (const o of this.offers.values()) if (o.agentId === agentId) offered = add(offered, o.resources);
    return offered;
  }

  ofFramework(frameworkId: string): OfferRecord[] {
    return this.all().filter((o) => o.frameworkId === frameworkId);
  }

  /** Takes an offer off the books without telling anyone (used, declined, or its framework left). */
  remove(o: OfferRecord): void {
    clearTimeout(o.timeout);
    this.offers.delete(o.id);
  }

  /** Withdraws an offer and tells its framework (RESCIND). */
  rescind(offerId: string, why: string): boolean {
    const o = this.offers.get(offerId);
    if (!o) return false;
    this.remove(o);
    this.deps.logger.info(`rescinding offer ${offerId}: ${why}`);
    this.deps.rescinded(o.frameworkId, offerId);
    return true;
  }

  rescindOnAgent(agentId: string, why: string): void {
    for (const o of this.all()) if (o.agentId === agentId) this.rescind(o.id, why);
  }

  /** Drops a framework's offers silently (it failed over, disconnected or left: nobody to tell). */
  discardOf(frameworkId: string): void {
    for (const o of this.ofFramework(frameworkId)) this.remove(o);
  }

  /** One allocation cycle: every agent's available resources to one (framework, role). */
  allocateOnce(agents: AllocatableAgent[], frameworks: AllocatableFramework[]): void {
    const result = allocate({
      agents,
      frameworks,
      filteredUntil: (fwId, agentId, resources) => this.filters.filteredUntil(fwId, agentId, resources, this.deps.now()),
      cursor: this.cursor,
    });
    this.cursor = result.cursor;
    const byFramework = new Map<string, Offer[]>();
    for (const g of result.grants) {
      const agent = this.deps.agent(g.agentId);
      if (!agent) continue;
      const o: OfferRecord = { id: `${this.deps.idPrefix}-O${this.seq++}`, frameworkId: g.frameworkId, agentId: g.agentId, role: g.role, resources: g.resources, createdAt: this.deps.now() };
      this.offers.set(o.id, o);
      if (this.deps.offerTimeoutMs !== undefined) o.timeout = setTimeout(() => this.rescind(o.id, 'offer timeout'), this.deps.offerTimeoutMs);
      byFramework.set(g.frameworkId, [...(byFramework.get(g.frameworkId) ?? []), offerJson(o, agent)]);
    }
    for (const [fwId, list] of byFramework) this.deps.offered(fwId, list);
    const skipped = result.skips.map((s) => `${s.agentId}${s.frameworkId ? `→${s.frameworkId}` : ''}: ${s.reason}`).join('; ');
    // Log why agents were not offered only when the reasons change: the same story every cycle is noise.
    if (skipped && skipped !== this.lastSkips) this.deps.logger.debug(`allocation skipped ${skipped}`);
    this.lastSkips = skipped;
  }

  stop(): void {
    for (const o of this.offers.values()) clearTimeout(o.timeout);
  }
}

/** An offer as it goes on the wire: resources allocated to the offer's role. */
export function offerJson(o: OfferRecord, agent: AgentRecord): Offer {
  return {
    id: { value: o.id },
    framework_id: { value: o.frameworkId },
    agent_id: { value: agent.id },
    hostname: agent.hostname,
    allocation_info: { role: o.role },
    resources: toResources(o.resources, o.role),
    attributes: agent.attributes,
    executor_ids: [],
  };
}
