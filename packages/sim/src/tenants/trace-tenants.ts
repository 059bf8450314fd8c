import type { Tenant } from '@msched/gang';
import type { TraceJob } from '../swf/parse-swf';

/** Who each trace job is for, and in words how that was decided (printed with the figures). */
export interface TraceTenants {
  readonly how: string;
  readonly gateways: number;
  tenantOf(job: TraceJob): Tenant;
}

/** Groups become gateways only when there are a few of them; more look like per-project accounts. */
export const MAX_GROUP_GATEWAYS = 16;
/** Gateways users are dealt into when the groups say nothing. */
export const USER_GATEWAYS = 4;

/**
 * Gateways for a trace that has none: SWF field 13 (group) when the log has from 2 to
 * MAX_GROUP_GATEWAYS groups, each group a gateway; otherwise user id modulo USER_GATEWAYS (so the
 * same user is always in the same gateway, and the gateways get users in turn). The user is SWF
 * field 12; an unknown user (-1) is one user "unknown".
 */
export function traceTenants(jobs: readonly TraceJob[]): TraceTenants {
  const groups = new Set<number>();
  for (const j of jobs) if (j.group >= 0) groups.add(j.group);
  const user = (j: TraceJob) => (j.user >= 0 ? `u${j.user}` : 'unknown');
  if (groups.size >= 2 && groups.size <= MAX_GROUP_GATEWAYS) {
    return {
      how: `${groups.size} groups (SWF field 13) as gateways`,
      gateways: groups.size + (jobs.some((j) => j.group < 0) ? 1 : 0),
      tenantOf: (j) => ({ gateway: j.group >= 0 ? `g${j.group}` : 'g-unknown', user: user(j) }),
    };
  }
  const why = groups.size < 2 ? `${groups.size} group${groups.size === 1 ? '' : 's'}` : `${groups.size} groups, more than ${MAX_GROUP_GATEWAYS}`;
  return {
    how: `${why}: users (SWF field 12) dealt into ${USER_GATEWAYS} gateways by user id mod ${USER_GATEWAYS}`,
    gateways: USER_GATEWAYS,
    tenantOf: (j) => ({ gateway: `gw${j.user >= 0 ? j.user % USER_GATEWAYS : 0}`, user: user(j) }),
  };
}
