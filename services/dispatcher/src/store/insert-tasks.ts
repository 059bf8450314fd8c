import type { Db } from '@msched/db';

export interface NewTaskRow {
  readonly id: string;
  readonly jobId: string;
  readonly agentId: string;
  readonly hostname: string;
  readonly ranks: readonly number[];
  readonly taskIndex: number;
  readonly launcher: boolean;
  /** Mesos TaskState name the row starts in. */
  readonly state: string;
}

/** Inserts the task rows of a launch (one statement for the whole gang). */
export async function insertTasks(tx: Db, rows: readonly NewTaskRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(`
    INSERT INTO tasks (id, job_id, agent_id, hostname, ranks, state, task_index, launcher)
    SELECT r.id, r.job_id, r.agent_id, r.hostname, ARRAY(SELECT json_array_elements_text(r.ranks)::int), r.state, r.task_index, r.launcher
    FROM json_to_recordset($1::json) AS r(id text, job_id text, agent_id text, hostname text, ranks json, state text, task_index int, launcher boolean)`,
  [JSON.stringify(rows.map((r) => ({ id: r.id, job_id: r.jobId, agent_id: r.agentId, hostname: r.hostname, ranks: r.ranks, state: r.state, task_index: r.taskIndex, launcher: r.launcher })))]);
}
