import type { PolicyEvent, WaitingGang } from '@msched/gang';

/**
 * The policy events that bring the policy's queue in line with the database: gangs newly waiting
 * are queued, gangs that stopped waiting elsewhere (canceled, failed by another replica) withdrawn.
 */
export function queueSyncEvents(inPolicy: readonly WaitingGang[], inDb: readonly WaitingGang[]): PolicyEvent[] {
  const known = new Set(inPolicy.map((g) => g.gangId));
  const wanted = new Set(inDb.map((g) => g.gangId));
  const events: PolicyEvent[] = [];
  for (const g of inDb) if (!known.has(g.gangId)) events.push({ type: 'gangQueued', gang: g });
  for (const g of inPolicy) if (!wanted.has(g.gangId)) events.push({ type: 'gangWithdrawn', gangId: g.gangId });
  return events;
}
