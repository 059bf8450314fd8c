import { Db } from './db';

/** Forgets the FrameworkID (after Mesos removed the framework, a new registration is needed). */
export async function clearFrameworkId(db: Db, name: string): Promise<void> {
  await db.query('DELETE FROM framework WHERE name = $1', [name]);
}
