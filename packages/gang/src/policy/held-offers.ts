import type { Offer } from '@msched/mesos/protocol';
import { offerRole } from '../snapshot/offer-snapshot';

interface Held {
  readonly offer: Offer;
  readonly role: string;
  readonly receivedAt: number;
}

/** The offers we hold, when each arrived, for which role. */
export class HeldOffers {
  private readonly byId = new Map<string, Held>();
  private changes = 0;

  /** Moves on whenever the set of held offers changes: a snapshot built at one version stays valid until then. */
  get version(): number {
    return this.changes;
  }

  add(offers: readonly Offer[], now: number): void {
    for (const offer of offers) this.byId.set(offer.id.value, { offer, role: offerRole(offer), receivedAt: now });
    if (offers.length) this.changes++;
  }

  /** Forgets offers (accepted, declined or rescinded); unknown ids are ignored. */
  remove(offerIds: Iterable<string>): void {
    for (const id of offerIds) if (this.byId.delete(id)) this.changes++;
  }

  clear(): void {
    if (this.byId.size) this.changes++;
    this.byId.clear();
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

  /** Held offers with their role and arrival time, in arrival order. */
  entries(): Held[] {
    return [...this.byId.values()];
  }
}
