import type { Offer } from '@msched/mesos/protocol';
import type { AgentResources } from '../snapshot/agent-resources';
import { agentFromOffers, OfferSnapshot, offerRole } from '../snapshot/offer-snapshot';
import { lowerBound } from './lower-bound';

const NO_OFFERS: readonly Offer[] = [];

interface Held {
  readonly offer: Offer;
  readonly role: string;
  readonly receivedAt: number;
}

/** One agent's held offers for one role, and its record once built (undefined while stale). */
interface AgentOffers {
  readonly agentId: string;
  /** Never changed in place (a change makes a new list), so a snapshot keeps the list it was built from. */
  offers: readonly Offer[];
  record: AgentResources | undefined;
}

interface RoleOffers {
  readonly agents: Map<string, AgentOffers>;
  /** Agent ids in order (placement is deterministic in agent-id order). */
  readonly ids: string[];
  /** The list the last snapshot gave for this role; undefined once an agent of the role changed. */
  list: readonly AgentResources[] | undefined;
}

/**
 * The offers we hold, when each arrived, for which role; and the snapshot of them, kept up to date
 * as offers come and go: only the agents whose offers changed are summed again (rebuilding every
 * agent's record on each change was most of the policy's allocations on a busy cluster).
 */
export class HeldOffers {
  private readonly byId = new Map<string, Held>();
  private readonly roles = new Map<string, RoleOffers>();
  private changes = 0;
  private snap: { version: number; value: OfferSnapshot } | undefined;

  /** Moves on whenever the set of held offers changes: a snapshot built at one version stays valid until then. */
  get version(): number {
    return this.changes;
  }

  add(offers: readonly Offer[], now: number): void {
    for (const offer of offers) {
      const role = offerRole(offer);
      const id = offer.id.value;
      // Mesos never offers an id twice; should it, the newer offer replaces the older in place.
      if (this.byId.has(id)) this.forget(id);
      this.byId.set(id, { offer, role, receivedAt: now });
      const agentId = offer.agent_id.value;
      let r = this.roles.get(role);
      if (!r) this.roles.set(role, (r = { agents: new Map(), ids: [], list: undefined }));
      let a = r.agents.get(agentId);
      if (!a) {
        r.agents.set(agentId, (a = { agentId, offers: NO_OFFERS, record: undefined }));
        r.ids.splice(lowerBound(r.ids, agentId), 0, agentId);
      }
      a.offers = a.offers.length ? [...a.offers, offer] : [offer];
      a.record = undefined;
      r.list = undefined;
    }
    if (offers.length) this.changes++;
  }

  /** Forgets offers (accepted, declined or rescinded); unknown ids are ignored. */
  remove(offerIds: Iterable<string>): void {
    for (const id of offerIds) if (this.forget(id)) this.changes++;
  }

  clear(): void {
    if (this.byId.size) this.changes++;
    this.byId.clear();
    this.roles.clear();
  }

  has(offerId: string): boolean {
    return this.byId.has(offerId);
  }

  get size(): number {
    return this.byId.size;
  }

  offers(): Offer[] {
    return [...this.byId.values()].map((h) => h.offer);
  }

  /**
   * Held offers with their role and arrival time, in arrival order: a live view (no copy, the policy
   * reads it on every event), so remove nothing while walking it.
   */
  entries(): IterableIterator<Held> {
    return this.byId.values();
  }

  /** The held offers as a snapshot: the same as `OfferSnapshot.fromOffers(this.offers())`, one per version. */
  snapshot(): OfferSnapshot {
    if (this.snap?.version === this.changes) return this.snap.value;
    const byRole = new Map<string, readonly AgentResources[]>();
    for (const [role, r] of this.roles) {
      if (!r.list) {
        const list: AgentResources[] = new Array(r.ids.length);
        for (let i = 0; i < r.ids.length; i++) {
          const a = r.agents.get(r.ids[i])!;
          if (!a.record) a.record = agentFromOffers(a.offers);
          list[i] = a.record;
        }
        r.list = list;
      }
      byRole.set(role, r.list);
    }
    // The offer index is built only if a launch asks for it, from the offers held at this version.
    const sources: (readonly Offer[])[] = [];
    for (const r of this.roles.values()) for (const a of r.agents.values()) sources.push(a.offers);
    const value = OfferSnapshot.fromAgents(byRole, () => {
      const index = new Map<string, Offer>();
      for (const list of sources) for (const o of list) index.set(o.id.value, o);
      return index;
    });
    this.snap = { version: this.changes, value };
    return value;
  }

  private forget(id: string): boolean {
    const h = this.byId.get(id);
    if (!h) return false;
    this.byId.delete(id);
    const r = this.roles.get(h.role)!;
    const agentId = h.offer.agent_id.value;
    const a = r.agents.get(agentId)!;
    a.offers = a.offers.filter((o) => o.id.value !== id);
    a.record = undefined;
    r.list = undefined;
    if (a.offers.length === 0) {
      r.agents.delete(agentId);
      r.ids.splice(lowerBound(r.ids, agentId), 1);
      if (r.agents.size === 0) this.roles.delete(h.role);
    }
    return true;
  }
}
