import type { Range } from '@msched/mesos/protocol';

/**
 * What one agent can give a gang, in the one shape placement works on: free resources from offers,
 * or total resources from the cluster's capacity (then `offerIds` is empty).
 */
export interface AgentResources {
  readonly agentId: string;
  readonly hostname: string;
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  /** Sorted, merged, ends inclusive. */
  readonly ports: readonly Range[];
  readonly portCount: number;
  readonly attributes: Readonly<Record<string, string | number>>;
  readonly offerIds: readonly string[];
}

/** How an agent is named in reasons: its host name, plus its id when that differs. */
export function agentLabel(a: Pick<AgentResources, 'agentId' | 'hostname'>): string {
  return a.hostname === a.agentId || !a.hostname ? a.agentId : `${a.hostname} [${a.agentId}]`;
}
