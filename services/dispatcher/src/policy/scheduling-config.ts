import type { Config } from '@msched/config';
import type { GatewayQuota, OfferPolicyConfig } from '@msched/gang';

/**
 * A lookup by gateway id with no inherited keys: the policy reads `shares[gateway]`, and a gateway
 * named "constructor" or "toString" must find nothing there, not Object's own functions.
 */
function byGateway<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  for (const [k, v] of entries) out[k] = v;
  return out;
}

/** The offer policy's order, fair-share factors and per-gateway quotas, from the `scheduling` settings. */
export function schedulingPolicyConfig(s: Config['scheduling']): Pick<OfferPolicyConfig, 'order' | 'fairShare' | 'quotas'> {
  const quotas = byGateway<GatewayQuota>([]);
  for (const [gateway, maxRunningCores] of Object.entries(s.maxRunningCores)) quotas[gateway] = { ...quotas[gateway], maxRunningCores };
  for (const [gateway, maxWaitingGangs] of Object.entries(s.maxWaitingGangs)) quotas[gateway] = { ...quotas[gateway], maxWaitingGangs };
  return {
    order: s.order,
    fairShare: {
      halfLifeSeconds: s.halfLifeHours * 3600,
      gatewayShares: byGateway(Object.entries(s.gatewayShares)),
      fairShareWeight: s.fairShareWeight,
      ageWeightPerHour: s.ageWeightPerHour,
      starvationHours: s.starvationHours,
      oldestLeadsAfterHours: s.oldestLeadsHours,
    },
    quotas,
  };
}
