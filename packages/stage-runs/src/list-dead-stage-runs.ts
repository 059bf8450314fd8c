import { Db, queryRows } from '@msched/db';
import { DEAD_STAGE_RUN_COLUMNS, DeadStageRun } from './dead-stage-run';

export async function listDeadStageRuns(db: Db): Promise<DeadStageRun[]> {
  return queryRows(db, `SELECT ${DEAD_STAGE_RUN_COLUMNS}
    FROM stage_runs s JOIN processes p ON p.id = s.process_id WHERE s.state = 'dead' ORDER BY s.dead_at, s.id`);
}
