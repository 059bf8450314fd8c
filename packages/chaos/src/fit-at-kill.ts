/** Free resources of one active agent, as the leading master reported them. */
export interface AgentFree {
  cpus: number;
  memMb: number;
}

/** What a waiting gang asks for (its gang spec). */
export interface GangDemand {
  ranks: number;
  cpusPerRank: number;
  memMbPerRank: number;
  /** Exact number of agents, when the gang names one. */
  nodeCount?: number;
}

/**
 * Which of the gangs waiting at a leader kill the cluster could hold at that moment: first fit over
 * the agents' free resources, in queue order, a gang that does not fit skipped (as backfilling
 * would). A gang that could not fit waited for capacity, not for the failover, so the failover's
 * placement time is judged on the others; the run reports both. Pure.
 */
export function gangsThatFit(free: readonly AgentFree[], waiting: readonly GangDemand[]): boolean[] {
  const left = free.map((a) => ({ ...a }));
  const slots = (a: AgentFree, g: GangDemand) => Math.floor(Math.min(a.cpus / g.cpusPerRank, g.memMbPerRank > 0 ? a.memMb / g.memMbPerRank : Infinity) + 1e-9);
  return waiting.map((g) => {
    const order = left.map((a, i) => ({ i, n: slots(a, g) })).filter((x) => x.n > 0).sort((x, y) => y.n - x.n);
    const take: Array<{ i: number; ranks: number }> = [];
    if (g.nodeCount) {
      const perNode = Math.ceil(g.ranks / g.nodeCount);
      let remaining = g.ranks;
      for (const x of order) {
        if (take.length === g.nodeCount || remaining === 0) break;
        const r = Math.min(perNode, remaining);
        if (x.n >= r) { take.push({ i: x.i, ranks: r }); remaining -= r; }
      }
      if (remaining > 0 || take.length !== g.nodeCount) return false;
    } else {
      let remaining = g.ranks;
      for (const x of order) {
        if (remaining === 0) break;
        const r = Math.min(x.n, remaining);
        take.push({ i: x.i, ranks: r });
        remaining -= r;
      }
      if (remaining > 0) return false;
    }
    for (const t of take) {
      left[t.i].cpus -= t.ranks * g.cpusPerRank;
      left[t.i].memMb -= t.ranks * g.memMbPerRank;
    }
    return true;
  });
}
