import type { Db } from '../db';

/** Marks a workflow as terminating: from now on its steps cancel and skip instead of starting. */
export async function markWorkflowTerminating(tx: Db, experimentId: string): Promise<void> {
  await tx.query('UPDATE workflows SET terminating = true, updated_at = now() WHERE experiment_id = $1', [experimentId]);
}
