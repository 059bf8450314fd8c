import { Db } from './db';

/** First key of the advisory locks that serialize launches of one gateway (the second is the gateway's hash). */
const LAUNCH_QUOTA_LOCK = 23_0001;

/**
 * Serializes the quota check and the insert of launches of one gateway until the transaction ends,
 * so two concurrent launches cannot both see room for one more. Other gateways are not held up.
 */
export async function lockGatewayLaunches(tx: Db, gatewayId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LAUNCH_QUOTA_LOCK, gatewayId]);
}
