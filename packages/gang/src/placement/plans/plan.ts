import type { Candidate } from '../slots';

/** How many ranks each chosen agent gets, in rank order. */
export interface Pick {
  readonly candidate: Candidate;
  readonly ranks: number;
}

export type PlanOutcome =
  | { readonly ok: true; readonly picks: readonly Pick[] }
  | { readonly ok: false; readonly shortfall: string };

/**
 * Best fit for the last share: among ranked[from..] (most slots first), the agent with the fewest
 * slots that still holds `ranks`, the lowest agent id among equals. Leaves the big agents for big
 * gangs. Returns -1 when none holds it.
 */
export function bestFitIndex(ranked: readonly Candidate[], from: number, ranks: number): number {
  let j = -1;
  for (let i = from; i < ranked.length && ranked[i].slots >= ranks; i++) j = i;
  if (j < 0) return -1;
  while (j > from && ranked[j - 1].slots === ranked[j].slots) j--;
  return j;
}
