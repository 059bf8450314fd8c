import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource, EntitySchema, MixedList } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { migrations } from '@msched/migrations';
import { entities } from './entities';

export interface DbSettings {
  url: string;
  poolSize: number;
}

/**
 * The pool's connections, each with an 'error' listener of its own from birth. node-postgres emits
 * 'error' on a client the pool has handed out but whose borrower (TypeORM's query runner) has not
 * yet added its listener (a promise's callback away); a server going down in that moment, its FATAL
 * in the same packet as the ReadyForQuery, emitted an error nobody listened to and the process died
 * (the 30-minute chaos run: an API server exited during a PostgreSQL restart). The error still
 * reaches the pool and the query runner whenever they listen, and fails the query in flight.
 */
export class PooledClient extends Client {
  constructor(config?: ConstructorParameters<typeof Client>[0]) {
    super(config);
    this.on('error', () => undefined);
  }
}

/**
 * The job database. Entities live in ./entities, migrations in the top-level migrations/ package;
 * `synchronize` is never used: the schema only changes through migrations.
 */
export function createDataSource(settings: DbSettings, opts: { applicationName?: string } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url: settings.url,
    // eslint-disable-next-line @typescript-eslint/ban-types
    entities: entities as MixedList<Function | string | EntitySchema>,
    migrations: migrations as MixedList<Function | string>,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: settings.poolSize, application_name: opts.applicationName ?? 'msched', Client: PooledClient },
  });
}

/** Opens the data source and applies pending migrations (serialized across processes by an advisory lock). */
export async function openDatabase(settings: DbSettings, opts: { migrate?: boolean; applicationName?: string } = {}): Promise<DataSource> {
  const ds = createDataSource(settings, opts);
  try {
    await ds.initialize();
  } catch (e) {
    throw new Error(`cannot connect to PostgreSQL (${redactUrl(settings.url)}): ${(e as Error).message}`);
  }
  if (opts.migrate ?? true) await migrate(ds);
  return ds;
}

const MIGRATION_LOCK = 727_411_001;

export async function migrate(ds: DataSource): Promise<string[]> {
  // The lock lives on a connection of its own: one taken from the pool would leave a pool of size
  // 1 without the connection the migrations need (a deadlock).
  const lock = new Client({ connectionString: (ds.options as PostgresConnectionOptions).url, application_name: 'msched-migrate-lock' });
  await lock.connect();
  try {
    // Several replicas may start at once; only one applies migrations, the others wait and find none left.
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await lock.end().catch(() => undefined);
  }
}

export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:<redacted>@');
}
