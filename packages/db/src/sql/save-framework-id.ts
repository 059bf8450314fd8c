import { Db } from './db';

/** Saves the Mesos FrameworkID under `name`, replacing the one saved before. */
export async function saveFrameworkId(db: Db, name: string, frameworkId: string): Promise<void> {
  await db.query(`INSERT INTO framework (name, framework_id) VALUES ($1, $2)
    ON CONFLICT (name) DO UPDATE SET framework_id = EXCLUDED.framework_id, updated_at = now()`, [name, frameworkId]);
}
