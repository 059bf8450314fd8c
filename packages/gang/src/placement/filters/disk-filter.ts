import { SCALAR_EPSILON } from '@msched/mesos/protocol';
import { agentLabel } from '../../snapshot/agent-resources';
import { basisWord, num } from '../format';
import type { AgentFilter } from './agent-filter';

/** Read once: each read of the re-exported binding is a getter call, and this runs per agent per gang tried. */
const EPSILON = SCALAR_EPSILON;

/** Refuses agents that cannot hold a single rank's scratch disk (only when the gang asks for disk). */
export const diskFilter: AgentFilter = {
  name: 'disk',
  admits: (agent, ctx) => agent.disk + EPSILON >= ctx.diskPerRank,
  explain: (agent, ctx) => `${agentLabel(agent)}: ${num(agent.disk)} MB disk ${basisWord(ctx.basis)}, a rank needs ${num(ctx.diskPerRank)} MB`,
};
