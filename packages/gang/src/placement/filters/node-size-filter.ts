import { agentLabel } from '../../snapshot/agent-resources';
import { plural } from '../format';
import type { AgentFilter } from './agent-filter';

/**
 * With nodeCount, an agent is useful only if it holds a full node's share of ranks (or at least the
 * smaller share of the last node). Without nodeCount every agent with one slot is useful.
 */
export const nodeSizeFilter: AgentFilter = {
  name: 'ranks-per-node',
  admits: (_agent, ctx, slots) => !ctx.layout || slots >= Math.min(ctx.layout.perNode, ctx.layout.lastNode),
  explain: (agent, ctx, slots) =>
    `${agentLabel(agent)}: room for ${plural(slots, 'rank')}, nodeCount ${ctx.layout?.nodes} puts ${ctx.layout?.perNode} on each node`,
};
