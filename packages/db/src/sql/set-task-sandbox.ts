import type { Db } from './db';

/** Records where a task's sandbox is (first answer wins: a sandbox never moves). */
export async function setTaskSandbox(db: Db, taskId: string, sandboxPath: string): Promise<void> {
  await db.query('UPDATE tasks SET sandbox_path = coalesce(sandbox_path, $2) WHERE id = $1', [taskId, sandboxPath]);
}
