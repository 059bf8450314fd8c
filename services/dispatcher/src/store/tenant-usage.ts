import { Db, queryRows } from '@msched/db';
import type { TenantUsage } from '@msched/gang';

/** Usage older than this many half-lives weighs under 0.1 % and is not read. */
const HORIZON_HALF_LIVES = 10;

/**
 * Each (gateway, user)'s past usage, derived from the job rows alone (nothing else to keep durable):
 * cores × seconds run of every attempt that ran and ended, decayed by the half-life from when it
 * ended, as of the database's now. Attempts still running are left out: the policy charges them
 * itself from their launch time (RunningGang.launchedAt), so counting them here would charge twice.
 */
export async function tenantUsage(db: Db, halfLifeSeconds: number): Promise<TenantUsage[]> {
  const rows = await queryRows<{ gateway: string; user: string; coreSeconds: number; asOf: number }>(db, `
    SELECT e.gateway_id AS gateway, e.user_name AS "user",
           sum((j.gang_spec ->> 'ranks')::float8 * coalesce((j.gang_spec ->> 'cpusPerRank')::float8, 1)
               * greatest(extract(epoch FROM j.settled_at - j.launched_at), 0)
               * power(0.5, extract(epoch FROM now() - j.settled_at)::float8 / $1::float8)) AS "coreSeconds",
           (extract(epoch FROM now()) * 1000)::float8 AS "asOf"
    FROM jobs j JOIN experiments e ON e.id = j.experiment_id
    WHERE j.launched_at IS NOT NULL AND j.settled_at > now() - make_interval(secs => $1::float8 * $2::float8)
      AND j.gang_spec IS NOT NULL
    GROUP BY e.gateway_id, e.user_name`, [halfLifeSeconds, HORIZON_HALF_LIVES]);
  return rows.map((r) => ({ tenant: { gateway: r.gateway, user: r.user }, coreSeconds: Number(r.coreSeconds), asOf: Number(r.asOf) }));
}
