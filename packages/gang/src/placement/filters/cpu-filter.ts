import { SCALAR_EPSILON } from '@msched/mesos/protocol';
import { agentLabel } from '../../snapshot/agent-resources';
import { basisWord, num, plural } from '../format';
import type { AgentFilter } from './agent-filter';

/** Read once: each read of the re-exported binding is a getter call, and this runs per agent per gang tried. */
const EPSILON = SCALAR_EPSILON;

/** Refuses agents that cannot hold a single rank's cpus. */
export const cpuFilter: AgentFilter = {
  name: 'cpus',
  admits: (agent, ctx) => agent.cpus + EPSILON >= ctx.request.cpusPerRank,
  explain: (agent, ctx) => `${agentLabel(agent)}: ${plural(agent.cpus, 'cpu')} ${basisWord(ctx.basis)}, a rank needs ${num(ctx.request.cpusPerRank)}`,
};
