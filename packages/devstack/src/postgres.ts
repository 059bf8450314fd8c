import { Client } from 'pg';

export async function pgAnswers(url: string): Promise<boolean> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Creates each database that does not exist yet; returns the ones created. */
export async function ensureDatabases(url: string, names: readonly string[]): Promise<string[]> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await c.connect();
  const created: string[] = [];
  try {
    for (const name of names) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name ${JSON.stringify(name)} must be lower-case letters, digits and _`);
      const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (rowCount) continue;
      try {
        await c.query(`CREATE DATABASE "${name}"`);
        created.push(name);
      } catch (e) {
        // A concurrent `stack up` may have created it meanwhile (unique_violation / duplicate_database).
        if (!['23505', '42P04'].includes((e as { code?: string }).code ?? '')) throw e;
      }
    }
  } finally {
    await c.end();
  }
  return created;
}
