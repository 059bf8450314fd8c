import { agentLabel } from '../../snapshot/agent-resources';
import { basisWord, plural } from '../format';
import type { AgentFilter } from './agent-filter';

/** Refuses agents without the ports each of the gang's tasks needs (MPI daemon / rendezvous). */
export const portsFilter: AgentFilter = {
  name: 'ports',
  admits: (agent, ctx) => agent.portCount >= ctx.portsPerAgent,
  explain: (agent, ctx) => `${agentLabel(agent)}: ${plural(agent.portCount, 'port')} ${basisWord(ctx.basis)}, each agent of the gang needs ${ctx.portsPerAgent}`,
};
