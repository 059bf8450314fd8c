import type { Tenant } from '../types';
import { tenantKey } from './tenant';

export interface TenantLoad {
  readonly tenant: Tenant;
  /** Decayed past usage plus what its running gangs have used so far (core-seconds). */
  readonly coreSeconds: number;
}

/**
 * The fair-share factor of every tenant, in (0, 1]: 1 for a tenant whose gateway and who have used
 * nothing, halving each time usage reaches the share it was given. Two levels, as the issue asks
 * (Slurm's classic formula 2^(-usage/share) applied to each level of a two-level tree):
 *
 *   gateway g:  F_g = 2^(-U_g / S_g)   U_g = g's usage ÷ all usage, S_g = g's share ÷ the shares of every gateway present
 *   user u in g: F_u = 2^(-U_u / S_u)  U_u = u's usage ÷ g's usage,  S_u = 1 ÷ the users of g present
 *   factor = F_g × F_u
 *
 * "Present" is every tenant listed (the caller lists those with usage, running or waiting gangs).
 * A gateway under its share ranks its users above those of a gateway over it, and within a
 * gateway the lightest user ranks first.
 */
export function fairShareFactors(loads: readonly TenantLoad[], gatewayShares: Readonly<Record<string, number>>): Map<string, number> {
  const gateways = new Map<string, { usage: number; users: number }>();
  let total = 0;
  for (const l of loads) {
    const g = gateways.get(l.tenant.gateway);
    if (g) {
      g.usage += l.coreSeconds;
      g.users++;
    } else gateways.set(l.tenant.gateway, { usage: l.coreSeconds, users: 1 });
    total += l.coreSeconds;
  }
  const share = (g: string) => {
    const s = gatewayShares[g];
    return s !== undefined && s >= 0 ? s : 1;
  };
  let shareSum = 0;
  for (const g of gateways.keys()) shareSum += share(g);
  const out = new Map<string, number>();
  for (const l of loads) {
    const g = gateways.get(l.tenant.gateway)!;
    const sg = shareSum > 0 ? share(l.tenant.gateway) / shareSum : 0;
    const ug = total > 0 ? g.usage / total : 0;
    const fg = level(ug, sg);
    const uu = g.usage > 0 ? l.coreSeconds / g.usage : 0;
    const fu = level(uu, 1 / g.users);
    out.set(tenantKey(l.tenant), fg * fu);
  }
  return out;
}

/** 2^(-usage/share); a zero share gets the lowest factor once it has used anything. */
function level(usage: number, share: number): number {
  if (usage <= 0) return 1;
  if (share <= 0) return 0;
  return Math.pow(2, -usage / share);
}
