import { Db, queryOne } from '../db';

/** The stored Airavata models of a process and of its experiment. */
export async function processModels(tx: Db, processId: string): Promise<{ experiment: unknown; process: unknown } | undefined> {
  return queryOne(tx, 'SELECT e.model AS experiment, p.model AS process FROM processes p JOIN experiments e ON e.id = p.experiment_id WHERE p.id = $1', [processId]);
}
