import { Db, queryOne } from './db';

/** The gateway owning an experiment, or undefined when there is no such experiment. */
export async function experimentGateway(db: Db, experimentId: string): Promise<string | undefined> {
  return (await queryOne<{ gatewayId: string }>(db, 'SELECT gateway_id AS "gatewayId" FROM experiments WHERE id = $1', [experimentId]))?.gatewayId;
}
