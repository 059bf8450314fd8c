import { plural } from '../format';
import type { Candidate } from '../slots';
import { bestFitIndex, type Pick, type PlanOutcome } from './plan';

/**
 * As few agents as fit: fill the roomiest agents completely, then put the remainder on the smallest
 * agent that holds it. Greedy by size is optimal for the agent count because every rank is the same size.
 */
export function planPack(ranked: readonly Candidate[], ranks: number): PlanOutcome {
  let sum = 0;
  let k = 0;
  while (k < ranked.length && sum < ranks) sum += ranked[k++].slots;
  if (sum < ranks) {
    return {
      ok: false,
      shortfall: ranked.length === 0
        ? 'no agent can hold a single rank'
        : `${ranked.length === 1 ? 'the only usable agent has' : `the ${plural(ranked.length, 'usable agent')} have`} room for ${sum} of ${plural(ranks, 'rank')}`,
    };
  }
  const full = ranked.slice(0, k - 1);
  const remainder = ranks - full.reduce((n, c) => n + c.slots, 0);
  const tail = bestFitIndex(ranked, k - 1, remainder);
  const picks: Pick[] = full.map((candidate) => ({ candidate, ranks: candidate.slots }));
  picks.push({ candidate: ranked[tail], ranks: remainder });
  return { ok: true, picks };
}
