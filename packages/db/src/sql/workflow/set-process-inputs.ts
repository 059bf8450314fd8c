import type { Db } from '../db';

/** Replaces the processInputs of a process's stored ProcessModel (the values an application starts with). */
export async function setProcessInputs(tx: Db, processId: string, inputs: unknown[]): Promise<void> {
  await tx.query(`UPDATE processes SET model = jsonb_set(model, '{processInputs}', $2::jsonb), updated_at = now() WHERE id = $1`, [processId, JSON.stringify(inputs)]);
}
