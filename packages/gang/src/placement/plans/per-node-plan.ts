import type { NodeLayout } from '../../request/gang-request';
import { plural } from '../format';
import type { Candidate } from '../slots';
import { bestFitIndex, type Pick, type PlanOutcome } from './plan';

/**
 * Exactly `layout.nodes` agents: the roomiest `nodes - 1` take `perNode` ranks each, the last share
 * goes to the smallest remaining agent that holds it. If any layout exists this one is found: the
 * feasible set's agents all hold the last share and we take at most nodes - 1 of them first.
 */
export function planPerNode(ranked: readonly Candidate[], layout: NodeLayout): PlanOutcome {
  const fullNodes = layout.nodes - 1;
  let roomy = 0;
  while (roomy < ranked.length && ranked[roomy].slots >= layout.perNode) roomy++;
  const last = fullNodes < ranked.length ? bestFitIndex(ranked, fullNodes, layout.lastNode) : -1;
  if (roomy < fullNodes || last < 0) {
    const need = layout.lastNode === layout.perNode
      ? `${plural(layout.nodes, 'agent')} with room for ${plural(layout.perNode, 'rank')} each`
      : `${plural(fullNodes, 'agent')} with room for ${plural(layout.perNode, 'rank')} and one more with room for ${layout.lastNode}`;
    const have = `${roomy} ${roomy === 1 ? 'has' : 'have'} room for ${layout.perNode}`;
    return { ok: false, shortfall: `nodeCount ${layout.nodes} needs ${need}; of ${plural(ranked.length, 'usable agent')}, ${have}` };
  }
  const picks: Pick[] = [];
  for (let i = 0; i < fullNodes; i++) picks.push({ candidate: ranked[i], ranks: layout.perNode });
  picks.push({ candidate: ranked[last], ranks: layout.lastNode });
  return { ok: true, picks };
}
