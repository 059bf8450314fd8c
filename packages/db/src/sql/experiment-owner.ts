import { Db, queryOne } from './db';

/** The gateway and user (owner) of an experiment; undefined when there is none. */
export async function experimentOwner(db: Db, experimentId: string): Promise<{ gatewayId: string; userName: string } | undefined> {
  return queryOne<{ gatewayId: string; userName: string }>(db, 'SELECT gateway_id AS "gatewayId", user_name AS "userName" FROM experiments WHERE id = $1', [experimentId]);
}
