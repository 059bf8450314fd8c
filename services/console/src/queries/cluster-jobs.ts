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

export interface WaitingGangView {
  jobId: string;
  experimentId: string;
  experimentName: string;
  userName: string;
  gatewayId: string;
  ranks: number | null;
  queuedAt: Date | null;
  waitReason: string | null;
  waitReasonAt: Date | null;
  /** When the dispatcher expects it to start; null until it judged the gang or when it cannot tell. */
  expectedStartAt: Date | null;
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

/**
 * Gangs waiting for offers, soonest expected start first (the dispatcher's order under fair share
 * is not the submit order), then the unestimated ones in submit order, with the reason and expected
 * start the dispatcher last saved for each.
 */
export async function waitingGangs(db: Db, limit = 200): Promise<WaitingGangView[]> {
  return queryRows<WaitingGangView>(db, `
    SELECT j.id AS "jobId", j.experiment_id AS "experimentId", e.name AS "experimentName", e.user_name AS "userName", e.gateway_id AS "gatewayId",
           (p.resource_schedule ->> 'totalCPUCount')::integer AS ranks, j.queued_at AS "queuedAt",
           j.wait_reason AS "waitReason", j.wait_reason_at AS "waitReasonAt", j.expected_start_at AS "expectedStartAt"
    FROM jobs j JOIN experiments e ON e.id = j.experiment_id JOIN processes p ON p.id = j.process_id
    WHERE j.settled_at IS NULL AND j.launched_at IS NULL AND j.cancel_requested_at IS NULL
      AND j.state IN ('SUBMITTED', 'QUEUED')
    ORDER BY j.expected_start_at NULLS LAST, j.queued_at NULLS LAST, j.id
    LIMIT $1`, [limit]);
}
