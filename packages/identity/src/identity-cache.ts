import { createHash } from 'node:crypto';
import type { Principal } from './access';

/**
 * Accepted identities by token, so a client repeating calls with one token is verified once per
 * period. Keyed by a hash of the token and the claimed gateway and user (the token itself is never
 * kept); an entry lives until the earlier of the token's expiry and the cache period. Bounded: the
 * oldest entry goes first. Refusals are not cached, so a fixed token is accepted at once.
 */
export class IdentityCache<V = Principal> {
  private readonly entries = new Map<string, { principal: V; until: number }>();

  constructor(private readonly ttlMs: number, private readonly maxEntries: number, private readonly now: () => number = Date.now) {}

  static key(token: string, gatewayId: string, userName: string): string {
    return createHash('sha256').update(token).update('\0').update(gatewayId).update('\0').update(userName).digest('base64');
  }

  get(key: string): V | undefined {
    if (this.ttlMs === 0) return undefined;
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.principal;
  }

  /** `expiresAtMs`: the token's own expiry when known. */
  set(key: string, principal: V, expiresAtMs?: number): void {
    if (this.ttlMs === 0) return;
    const until = Math.min(this.now() + this.ttlMs, expiresAtMs ?? Number.POSITIVE_INFINITY);
    if (until <= this.now()) return;
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    this.entries.set(key, { principal, until });
  }

  get size(): number {
    return this.entries.size;
  }
}
