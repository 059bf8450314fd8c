import { Db, queryOne } from '../db';

const FIELD = { inputs: 'processInputs', outputs: 'processOutputs' } as const;

/** The processInputs or processOutputs of a process's stored ProcessModel (null when absent). */
export async function processDataObjects<T>(tx: Db, processId: string, which: keyof typeof FIELD): Promise<T[] | null | undefined> {
  const row = await queryOne<{ objects: T[] | null }>(tx, `SELECT model -> '${FIELD[which]}' AS objects FROM processes WHERE id = $1`, [processId]);
  return row?.objects;
}
