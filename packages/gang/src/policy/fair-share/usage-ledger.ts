import type { Tenant, TenantUsage } from '../types';
import { tenantKey } from './tenant';

interface Entry {
  readonly tenant: Tenant;
  coreSeconds: number;
  asOf: number;
}

/**
 * Past usage per tenant in core-seconds, decaying exponentially with a half-life (Slurm's
 * PriorityDecayHalfLife): a core-second used one half-life ago counts half. Each entry is stored
 * decayed to its own `asOf` and decayed further only when read or charged.
 */
export class UsageLedger {
  private readonly byKey = new Map<string, Entry>();
  private changes = 0;

  constructor(private readonly halfLifeSeconds: number) {
    if (!(halfLifeSeconds > 0)) throw new RangeError(`the usage half-life must be positive, got ${halfLifeSeconds}`);
  }

  /** Moves on whenever usage is seeded or charged. */
  get version(): number {
    return this.changes;
  }

  /** `coreSeconds` measured at `from` (epoch ms), as it counts at `to`. */
  decay(coreSeconds: number, from: number, to: number): number {
    if (to <= from) return coreSeconds;
    return coreSeconds * Math.pow(2, -(to - from) / (this.halfLifeSeconds * 1000));
  }

  /** Replaces each listed tenant's usage (what the job records said when this dispatcher took over). */
  seed(usage: readonly TenantUsage[]): void {
    for (const u of usage) {
      if (!(u.coreSeconds >= 0) || !Number.isFinite(u.coreSeconds)) throw new RangeError(`usage of ${u.tenant.gateway}/${u.tenant.user} must be a finite number of core-seconds ≥ 0, got ${u.coreSeconds}`);
      this.byKey.set(tenantKey(u.tenant), { tenant: { gateway: u.tenant.gateway, user: u.tenant.user }, coreSeconds: u.coreSeconds, asOf: u.asOf });
    }
    this.changes++;
  }

  /** Adds `coreSeconds` used by `tenant`, counted as of `at` (epoch ms). */
  charge(tenant: Tenant, coreSeconds: number, at: number): void {
    if (!(coreSeconds > 0)) return;
    const key = tenantKey(tenant);
    const e = this.byKey.get(key);
    if (!e) this.byKey.set(key, { tenant: { gateway: tenant.gateway, user: tenant.user }, coreSeconds, asOf: at });
    else {
      const asOf = Math.max(e.asOf, at);
      e.coreSeconds = this.decay(e.coreSeconds, e.asOf, asOf) + this.decay(coreSeconds, at, asOf);
      e.asOf = asOf;
    }
    this.changes++;
  }

  /** A tenant's usage decayed to `now` (0 when never charged). */
  usageAt(tenant: Tenant, now: number): number {
    const e = this.byKey.get(tenantKey(tenant));
    return e ? this.decay(e.coreSeconds, e.asOf, now) : 0;
  }

  /** Every tenant with recorded usage, decayed to `now`. */
  snapshot(now: number): TenantUsage[] {
    return [...this.byKey.values()].map((e) => ({ tenant: e.tenant, coreSeconds: this.decay(e.coreSeconds, e.asOf, now), asOf: now }));
  }
}
