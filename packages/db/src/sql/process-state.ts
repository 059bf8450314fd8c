import { Db, queryOne } from './db';

/** A process's state; undefined without the process. */
export async function processState(db: Db, processId: string): Promise<string | undefined> {
  return (await queryOne<{ state: string }>(db, 'SELECT state FROM processes WHERE id = $1', [processId]))?.state;
}
