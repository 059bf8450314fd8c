import type { DataSource } from 'typeorm';
import type { Config } from '@msched/config';
import { dbUrlFor, freshDatabase, RUN_ID, testConfig } from './stack';

/**
 * A migrated database of its own for one suite (msched_<run>_<suffix>, dropped with the run's other
 * databases), for suites that must see only their own rows: outbox relays claim every unsent row
 * of their database.
 */
export async function ownDatabase(suffix: string, overrides: Record<string, string> = {}): Promise<{ cfg: Config; ds: DataSource }> {
  const cfg = testConfig({ MSCHED_DATABASE_URL: dbUrlFor(`msched_${RUN_ID}_${suffix}`), ...overrides });
  const ds = await freshDatabase(cfg);
  return { cfg, ds };
}
