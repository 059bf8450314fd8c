import type { Candidate } from '../slots';

/**
 * Orders candidates by room for ranks, most first, so a gang lands on as few agents as possible
 * (MPI prefers shared memory to the network). Ties keep agent-id order, in which candidates arrive.
 * A bucket per slot count instead of a comparison sort: linear in the agents, and there are few
 * distinct slot counts.
 */
export function mostSlotsFirst(candidates: readonly Candidate[]): Candidate[] {
  const buckets = new Map<number, Candidate[]>();
  for (const c of candidates) {
    const bucket = buckets.get(c.slots);
    if (bucket) bucket.push(c);
    else buckets.set(c.slots, [c]);
  }
  const out: Candidate[] = [];
  for (const slots of [...buckets.keys()].sort((a, b) => b - a)) for (const c of buckets.get(slots)!) out.push(c);
  return out;
}
