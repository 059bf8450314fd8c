import type { GangRequest } from '../request/gang-request';
import type { ClusterCapacity } from '../snapshot/cluster-capacity';
import { placeOnAgents, type PlacementOptions } from './place-gang';

export type FitVerdict = { readonly fits: true } | { readonly fits: false; readonly reasons: readonly string[] };

/**
 * Could this gang ever run here, on an empty cluster? Runs the placement stack over every agent's
 * total resources for the role: a gang that fails this waits forever, so it is failed at once.
 */
export function fitsCluster(request: GangRequest, capacity: ClusterCapacity, options: PlacementOptions = {}): FitVerdict {
  const result = placeOnAgents(request, capacity.agents, 'total', options);
  return result.kind === 'placed' ? { fits: true } : { fits: false, reasons: result.reasons };
}
