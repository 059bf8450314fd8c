import { Db, queryOne } from '@msched/db';
import { DEAD_STAGE_RUN_COLUMNS, DeadStageRun } from './dead-stage-run';

/** Locks one dead-lettered run for replay; undefined when there is none with that id. */
export async function lockDeadStageRun(tx: Db, id: string): Promise<DeadStageRun | undefined> {
  if (!/^\d+$/.test(id)) return undefined;
  return queryOne(tx, `SELECT ${DEAD_STAGE_RUN_COLUMNS}
    FROM stage_runs s JOIN processes p ON p.id = s.process_id WHERE s.id = $1::bigint AND s.state = 'dead' FOR UPDATE OF s`, [id]);
}
