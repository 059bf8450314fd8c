import type { GangRequest, NodeLayout } from '../../request/gang-request';
import type { AgentResources } from '../../snapshot/agent-resources';
import type { ResourceBasis } from '../types';

/** What every filter may read; computed once per placement. */
export interface FilterContext {
  readonly request: GangRequest;
  readonly basis: ResourceBasis;
  /** Set when the request gives nodeCount. */
  readonly layout?: NodeLayout;
  /** The request's defaults resolved once, read for every agent. */
  readonly portsPerAgent: number;
  readonly diskPerRank: number;
}

/**
 * One feasibility check over one agent (Nomad's FeasibilityChecker). `admits` runs for every agent
 * on every placement and must stay cheap; `explain` runs only for the agents it refused.
 */
export interface AgentFilter {
  readonly name: string;
  /** `slots`: ranks the agent can hold by cpus, memory and disk, computed once per agent by the stack. */
  admits(agent: AgentResources, ctx: FilterContext, slots: number): boolean;
  explain(agent: AgentResources, ctx: FilterContext, slots: number): string;
}
