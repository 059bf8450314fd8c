import type { Db } from '@msched/db';

export interface TaskStatusChange {
  readonly state: string;
  readonly uuid?: string;
  /** When Mesos says the update happened (TaskStatus.timestamp); now() when absent. */
  readonly at?: Date;
  readonly message?: string;
  readonly exitCode?: number;
  readonly agentId?: string;
  readonly sandboxPath?: string;
}

/** Writes one task update onto its row (the history row is appended separately). */
export async function updateTaskStatus(tx: Db, taskId: string, c: TaskStatusChange): Promise<void> {
  await tx.query(`
    UPDATE tasks SET state = $2, last_update_uuid = coalesce($3, last_update_uuid), last_update_at = coalesce($4, now()),
      message = coalesce($5, message), exit_code = coalesce($6, exit_code), agent_id = coalesce(agent_id, $7),
      sandbox_path = coalesce(sandbox_path, $8), updated_at = now()
    WHERE id = $1`,
  [taskId, c.state, c.uuid ?? null, c.at ?? null, c.message ?? null, c.exitCode ?? null, c.agentId ?? null, c.sandboxPath ?? null]);
}
