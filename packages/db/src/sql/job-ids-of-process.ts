import { Db, queryRows } from './db';

/** The ids of every job (launch attempt) of a process, first attempt first. */
export async function jobIdsOfProcess(db: Db, processId: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(db, 'SELECT id FROM jobs WHERE process_id = $1 ORDER BY attempt', [processId]);
  return rows.map((r) => r.id);
}
