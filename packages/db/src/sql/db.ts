import type { EntityManager } from 'typeorm';

/**
 * What every operation needs: something that runs SQL. A DataSource (autocommit) and the
 * EntityManager of a transaction both fit, so each operation can run alone or inside a caller's
 * transaction.
 */
export type Db = Pick<EntityManager, 'query'>;

/**
 * TypeORM's query() answers rows for SELECT/INSERT but `[rows, rowCount]` for UPDATE/DELETE; this
 * always gives the rows (use RETURNING to learn what changed).
 */
export async function queryRows<T>(db: Db, sql: string, params: unknown[] = []): Promise<T[]> {
  const r: unknown = await db.query(sql, params);
  if (Array.isArray(r) && r.length === 2 && Array.isArray(r[0]) && typeof r[1] === 'number') return r[0] as T[];
  return r as T[];
}

export async function queryOne<T>(db: Db, sql: string, params: unknown[] = []): Promise<T | undefined> {
  return (await queryRows<T>(db, sql, params))[0];
}

/** PostgreSQL error codes (SQLSTATE) whose cause is passing: retrying the transaction can succeed. */
const RETRIABLE_SQLSTATE = new Set(['40001', '40P01', '55P03', '57P01', '57P02', '57P03', '53300', '08000', '08003', '08006', '08001', '08004']);
const RETRIABLE_NODE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** The SQLSTATE of a driver error (TypeORM wraps pg's error; both carry `code`). */
export function sqlState(e: unknown): string | undefined {
  const err = e as { code?: unknown; driverError?: { code?: unknown } };
  const code = err?.driverError?.code ?? err?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The constraint a unique/foreign-key violation names, if any. */
export function violatedConstraint(e: unknown): string | undefined {
  const err = e as { constraint?: unknown; driverError?: { constraint?: unknown } };
  const c = err?.driverError?.constraint ?? err?.constraint;
  return typeof c === 'string' ? c : undefined;
}

/** True when the failure is a lost connection, a deadlock, a serialization failure or an overloaded server. */
export function isRetriableDbError(e: unknown): boolean {
  const code = sqlState(e);
  if (code && (RETRIABLE_SQLSTATE.has(code) || RETRIABLE_NODE.has(code))) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(String((e as Error)?.message));
}
