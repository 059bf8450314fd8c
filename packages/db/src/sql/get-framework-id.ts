import { Db, queryOne } from './db';

/** The Mesos FrameworkID saved under `name` (the dispatcher re-subscribes with it after a restart). */
export async function getFrameworkId(db: Db, name: string): Promise<string | undefined> {
  return (await queryOne<{ frameworkId: string }>(db, 'SELECT framework_id AS "frameworkId" FROM framework WHERE name = $1', [name]))?.frameworkId;
}
