import { Bag, contains } from '../resources/bag';

/** Longest filter honoured; Mesos caps refuse_seconds at 365 days too. */
const MAX_REFUSE_MS = 365 * 24 * 3600 * 1000;

interface Filter { frameworkId: string; agentId: string; resources: Bag; expiresAt: number }

/**
 * Offer filters from DECLINE (and the unused part of ACCEPT): the framework refuses resources on
 * an agent for refuse_seconds. Like Mesos' refused-resources filter, an offer is held back only
 * while what the agent has to offer is contained in what was refused; anything more comes back.
 */
export class DeclineFilters {
  private filters: Filter[] = [];

  add(frameworkId: string, agentId: string, resources: Bag, refuseSeconds: number, now: number): void {
    if (!(refuseSeconds > 0)) return;
    const expiresAt = now + Math.min(refuseSeconds * 1000, MAX_REFUSE_MS);
    this.filters.push({ frameworkId, agentId, resources, expiresAt });
  }

  /** The expiry of the filter holding these resources back, or null when none does. */
  filteredUntil(frameworkId: string, agentId: string, resources: Bag, now: number): number | null {
    this.expire(now);
    const f = this.filters.find((x) => x.frameworkId === frameworkId && x.agentId === agentId && contains(x.resources, resources));
    return f ? f.expiresAt : null;
  }

  /** REVIVE drops every filter of the framework. */
  clearFramework(frameworkId: string): void {
    this.filters = this.filters.filter((f) => f.frameworkId !== frameworkId);
  }

  clearAgent(agentId: string): void {
    this.filters = this.filters.filter((f) => f.agentId !== agentId);
  }

  private expire(now: number): void {
    this.filters = this.filters.filter((f) => f.expiresAt > now);
  }

  get size(): number {
    return this.filters.length;
  }
}
