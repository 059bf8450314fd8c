import { Db, queryOne } from './db';

/** The Mesos FrameworkID saved under `name` (the dispatcher re-subscribes with it after a restart). */
export async function getFrameworkId(db: Db, name: string): Promise<string | undefined> {
  return (await queryOne<{ frameworkId: string }>(db, 'SELECT framework_id AS "frameworkId" FROM framework WHERE name = $1', [name]))?.frameworkId;
}

export async function saveFrameworkId(db: Db, name: string, frameworkId: string): Promise<void> {
  await db.query(`INSERT INTO framework (name, framework_id) VALUES ($1, $2)
    ON CONFLICT (name) DO UPDATE SET framework_id = EXCLUDED.framework_id, updated_at = now()`, [name, frameworkId]);
}

/** Forgets the FrameworkID (after Mesos removed the framework, a new registration is needed). */
export async function clearFrameworkId(db: Db, name: string): Promise<void> {
  await db.query('DELETE FROM framework WHERE name = $1', [name]);
}
