/** One agent's share of a placed gang: it becomes one Mesos task owning these ranks. */
export interface Assignment {
  readonly agentId: string;
  readonly hostname: string;
  /** Offers of this agent to accept together (one ACCEPT per agent). */
  readonly offerIds: readonly string[];
  /** Contiguous rank numbers, e.g. [4, 5, 6, 7]. */
  readonly ranks: readonly number[];
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  readonly ports: readonly number[];
}

/** One agent left out, by which filter and why. */
export interface AgentRejection {
  readonly agentId: string;
  readonly hostname: string;
  readonly filter: string;
  readonly reason: string;
}

export interface Placed {
  readonly kind: 'placed';
  readonly assignments: readonly Assignment[];
}

export interface Unplaceable {
  readonly kind: 'unplaceable';
  /** Human-readable, most general first: the overall shortfall, then per-filter counts, then per agent (capped). */
  readonly reasons: readonly string[];
  /** Every agent a filter dropped, with its reason. */
  readonly rejections: readonly AgentRejection[];
}

export type PlacementResult = Placed | Unplaceable;

/** Whether the resources looked at are free now (offers) or the cluster's totals (capacity). */
export type ResourceBasis = 'free' | 'total';
