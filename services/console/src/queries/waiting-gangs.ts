import { Db, queryRows } from '@msched/db';

/** A gang waiting for offers, with what the dispatcher last saved about it. */
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
