import { Db, queryOne } from '../db';

/** Locks a workflow's own row (FOR UPDATE) and returns its state; undefined when there is none. */
export async function lockWorkflowState(tx: Db, experimentId: string): Promise<string | undefined> {
  return (await queryOne<{ state: string }>(tx, 'SELECT state FROM workflows WHERE experiment_id = $1 FOR UPDATE', [experimentId]))?.state;
}
