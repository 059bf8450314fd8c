import { tenantOf } from './fair-share/tenant';
import { ResourceTimeline } from './resource-timeline';
import type { GatewayQuota, RunningGang, WaitingGang } from './types';

/** One role's waiting gangs and what they wait for. */
export interface RoleOutlook {
  /** Its waiting gangs in the policy's order (the head first). */
  readonly order: readonly WaitingGang[];
  /** Resources of the role free now. */
  readonly freeNow: { readonly cpus: number; readonly mem: number };
  /** Running gangs of the role: their shares come back at their wall-time limits. */
  readonly running: readonly RunningGang[];
  /** A start no earlier than this (epoch ms), per gang: the head's reservation estimate, which sees agent layout. */
  readonly notBefore?: ReadonlyMap<string, number>;
}

/** The shortest time a waiting gang is planned to hold its resources. */
const MIN_PLANNED_MS = 60_000;

/** Cores of a gang. */
export const gangCores = (g: WaitingGang): number => g.request.ranks * g.request.cpusPerRank;
const gangMem = (g: WaitingGang): number => g.request.ranks * g.request.memMbPerRank;
const sharesOf = (g: RunningGang) => {
  let cpus = 0;
  let mem = 0;
  for (const s of g.shares) {
    cpus += s.cpus;
    mem += s.mem;
  }
  return { cpus, mem };
};

/**
 * Expected start of every waiting gang, as `squeue --start` answers it: walk each role's waiting
 * order, assume running gangs end at their wall-time limits, and give each gang the earliest time
 * at which its cores and memory stay free for its whole wall time without taking what an earlier
 * gang was given (conservative backfilling's plan) and, when its gateway has a core quota, without
 * its gateway passing the quota. Undefined: no estimate (it needs more than ever comes back).
 *
 * Resources are counted per role in total, not per agent: a gang whose layout (ranks per node,
 * attributes) needs particular agents may start later than estimated; the head's estimate, which
 * places it agent by agent, is passed as `notBefore`. At most `limit` gangs per role are estimated
 * (the first in line); the rest are left out of the map. `runFraction` (0 to 1] shortens the
 * planned run of waiting gangs (not of running ones) to that share of their wall time.
 */
export function estimateStarts(
  now: number,
  roles: readonly RoleOutlook[],
  quotas: Readonly<Record<string, GatewayQuota>>,
  allRunning: readonly RunningGang[],
  limit = Infinity,
  runFraction = 1,
): Map<string, number | undefined> {
  const out = new Map<string, number | undefined>();
  const quotaLines = new Map<string, ResourceTimeline>();
  const quotaLine = (gateway: string): ResourceTimeline | undefined => {
    const max = quotas[gateway]?.maxRunningCores;
    if (max === undefined) return undefined;
    let line = quotaLines.get(gateway);
    if (!line) {
      let used = 0;
      const releases: Array<{ at: number; amounts: number[] }> = [];
      for (const r of allRunning) {
        if (tenantOf(r.tenant).gateway !== gateway) continue;
        const { cpus } = sharesOf(r);
        used += cpus;
        releases.push({ at: Math.max(now, r.expectedEndAt), amounts: [cpus] });
      }
      quotaLines.set(gateway, (line = new ResourceTimeline(now, [max - used], releases)));
    }
    return line;
  };

  for (const role of roles) {
    const releases = role.running.map((r) => {
      const { cpus, mem } = sharesOf(r);
      return { at: Math.max(now, r.expectedEndAt), amounts: [cpus, mem] };
    });
    const cluster = new ResourceTimeline(now, [role.freeNow.cpus, role.freeNow.mem], releases);
    const n = Math.min(limit, role.order.length);
    for (let i = 0; i < n; i++) {
      const gang = role.order[i];
      const need = [gangCores(gang), gangMem(gang)];
      const cores = [need[0]];
      // Waiting gangs are planned to run `runFraction` of their wall time (ended gangs' share of
      // theirs): the first in line's start depends only on running gangs (their limits, which are
      // what is certain), the ones behind it on how long those ahead will hold what they take.
      const duration = Math.max(MIN_PLANNED_MS, gang.wallTimeSeconds * 1000 * runFraction);
      const quota = quotaLine(tenantOf(gang.tenant).gateway);
      let from = Math.max(now, role.notBefore?.get(gang.gangId) ?? now);
      let start: number | undefined;
      // Alternate between the cluster and the quota until both agree; each round moves `from` to a
      // later breakpoint, so it ends.
      for (;;) {
        const t = cluster.earliestStart(need, duration, from);
        if (t === undefined || !quota) { start = t; break; }
        const q = quota.earliestStart(cores, duration, t);
        if (q === undefined || q === t) { start = q; break; }
        from = q;
      }
      out.set(gang.gangId, start);
      if (start === undefined) continue;
      cluster.reserve(start, duration, need);
      quota?.reserve(start, duration, cores);
    }
  }
  return out;
}
