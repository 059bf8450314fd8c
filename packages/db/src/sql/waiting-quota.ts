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
 * The gateway's launches not running yet (every job neither launched on the cluster nor ended:
 * being provisioned, or waiting for offers; the predicate is jobs_unlaunched_idx's), and whether
 * the experiment was recorded already (a repeated launch is answered, never refused by a quota):
 * one round trip under the launch lock.
 */
export async function waitingGangsAndExperiment(db: Db, gatewayId: string, experimentId: string): Promise<{ waiting: number; experimentExists: boolean }> {
  const row = await queryOne<{ waiting: number; experimentExists: boolean }>(db, `
    SELECT (SELECT count(*)::integer FROM jobs j JOIN experiments e ON e.id = j.experiment_id
            WHERE e.gateway_id = $1 AND j.launched_at IS NULL AND j.settled_at IS NULL
              AND j.state NOT IN ('COMPLETE', 'CANCELED', 'FAILED')) AS waiting,
           EXISTS (SELECT 1 FROM experiments WHERE id = $2) AS "experimentExists"`, [gatewayId, experimentId]);
  return row ?? { waiting: 0, experimentExists: false };
}
