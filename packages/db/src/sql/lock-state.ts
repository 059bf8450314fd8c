import { Db, queryOne } from './db';

const TABLE = { experiment: 'experiments', process: 'processes', job: 'jobs' } as const;

/**
 * Locks the row of an experiment, process or job (FOR UPDATE: concurrent writers of its state
 * serialize) and returns its current state; undefined when there is no such row.
 */
export async function lockState(tx: Db, entity: keyof typeof TABLE, id: string): Promise<string | undefined> {
  const row = await queryOne<{ state: string }>(tx, `SELECT state FROM ${TABLE[entity]} WHERE id = $1 FOR UPDATE`, [id]);
  return row?.state;
}
