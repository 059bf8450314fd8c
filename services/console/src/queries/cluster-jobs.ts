import { Db, queryRows } from '@msched/db';

/** A gang's share of one agent: the ranks of one of its live tasks there. */
export interface GangShare {
  agentId: string;
  hostname: string | null;
  jobId: string;
  experimentName: string;
  ranks: number[];
  cpus: number;
  memMb: number;
  taskState: string;
}

const LIVE_TASK_STATES = ['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_UNREACHABLE'];

/** Live tasks of launched gangs, per agent (what fills each agent's box). */
export async function gangShares(db: Db): Promise<GangShare[]> {
  return queryRows<GangShare>(db, `
    SELECT t.agent_id AS "agentId", t.hostname, t.job_id AS "jobId", e.name AS "experimentName", t.ranks,
           (cardinality(t.ranks) * coalesce((j.gang_spec ->> 'cpusPerRank')::float8, 1))::float8 AS cpus,
           (cardinality(t.ranks) * coalesce((j.gang_spec ->> 'memMbPerRank')::float8, 0))::float8 AS "memMb",
           t.state AS "taskState"
    FROM tasks t JOIN jobs j ON j.id = t.job_id JOIN experiments e ON e.id = j.experiment_id
    WHERE t.state = ANY($1) AND t.agent_id IS NOT NULL
    ORDER BY t.agent_id, j.launched_at, t.job_id`, [LIVE_TASK_STATES]);
}
