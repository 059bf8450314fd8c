import { Db, queryOne } from '@msched/db';

/** The gateway and user of an experiment, or undefined when there is none by that id. */
export function experimentOwner(db: Db, experimentId: string): Promise<{ gatewayId: string; userName: string } | undefined> {
  return queryOne(db, 'SELECT gateway_id AS "gatewayId", user_name AS "userName" FROM experiments WHERE id = $1', [experimentId]);
}
