import { Db, queryRows } from '@msched/db';

export interface LiveTask {
  readonly taskId: string;
  readonly agentId: string | null;
}

/** Every task whose last known Mesos state is not terminal: what explicit reconciliation asks about. */
export async function liveTasks(db: Db): Promise<LiveTask[]> {
  return queryRows<LiveTask>(db, `
    SELECT t.id AS "taskId", t.agent_id AS "agentId" FROM tasks t
    WHERE t.state NOT IN ('TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE')
    ORDER BY t.id`);
}
