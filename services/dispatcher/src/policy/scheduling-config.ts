import type { Config } from '@msched/config';
import type { GatewayQuota, OfferPolicyConfig } from '@msched/gang';

/** The offer policy's order, fair-share factors and per-gateway quotas, from the `scheduling` settings. */
export function schedulingPolicyConfig(s: Config['scheduling']): Pick<OfferPolicyConfig, 'order' | 'fairShare' | 'quotas'> {
  const quotas: Record<string, GatewayQuota> = {};
  for (const [gateway, maxRunningCores] of Object.entries(s.maxRunningCores)) quotas[gateway] = { ...quotas[gateway], maxRunningCores };
  for (const [gateway, maxWaitingGangs] of Object.entries(s.maxWaitingGangs)) quotas[gateway] = { ...quotas[gateway], maxWaitingGangs };
  return {
    order: s.order,
    fairShare: {
      halfLifeSeconds: s.halfLifeHours * 3600,
      gatewayShares: { ...s.gatewayShares },
      fairShareWeight: s.fairShareWeight,
      ageWeightPerHour: s.ageWeightPerHour,
      starvationHours: s.starvationHours,
    },
    quotas,
  };
}
