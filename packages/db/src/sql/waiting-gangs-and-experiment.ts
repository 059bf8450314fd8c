import { Db, queryOne } from './db';

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
