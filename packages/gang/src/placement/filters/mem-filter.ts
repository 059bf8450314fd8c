import { SCALAR_EPSILON } from '@msched/mesos/protocol';
import { agentLabel } from '../../snapshot/agent-resources';
import { basisWord, num } from '../format';
import type { AgentFilter } from './agent-filter';

/** Read once: each read of the re-exported binding is a getter call, and this runs per agent per gang tried. */
const EPSILON = SCALAR_EPSILON;

/** Refuses agents that cannot hold a single rank's memory. */
export const memFilter: AgentFilter = {
  name: 'mem',
  admits: (agent, ctx) => agent.mem + EPSILON >= ctx.request.memMbPerRank,
  explain: (agent, ctx) => `${agentLabel(agent)}: ${num(agent.mem)} MB memory ${basisWord(ctx.basis)}, a rank needs ${num(ctx.request.memMbPerRank)} MB`,
};
