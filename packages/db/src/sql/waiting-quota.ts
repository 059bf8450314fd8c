import { Db, queryOne } from './db';

/** First key of the advisory locks that serialize launches of one gateway (the second is the gateway's hash). */
const LAUNCH_QUOTA_LOCK = 23_0001;

/**
 * Serializes the quota check and the insert of launches of one gateway until the transaction ends,
 * so two concurrent launches cannot both see room for one more. Other gateways are not held up.
 */
export async function lockGatewayLaunches(tx: Db, gatewayId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LAUNCH_QUOTA_LOCK, gatewayId]);
}

/**
 * Launches of the gateway that are not running yet: every job neither launched on the cluster nor
 * ended (being provisioned, or waiting for offers). Its predicate is jobs_unlaunched_idx's.
 */
export async function countWaitingGangs(db: Db, gatewayId: string): Promise<number> {
  const row = await queryOne<{ n: number }>(db, `
    SELECT count(*)::integer AS n FROM jobs j JOIN experiments e ON e.id = j.experiment_id
    WHERE e.gateway_id = $1 AND j.launched_at IS NULL AND j.settled_at IS NULL
      AND j.state NOT IN ('COMPLETE', 'CANCELED', 'FAILED')`, [gatewayId]);
  return row?.n ?? 0;
}

/** Whether an experiment was recorded already (a repeated launch is answered, never refused by a quota). */
export async function experimentExists(db: Db, experimentId: string): Promise<boolean> {
  return (await queryOne(db, 'SELECT 1 FROM experiments WHERE id = $1', [experimentId])) !== undefined;
}
