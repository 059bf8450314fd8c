import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `fn` in one transaction (READ COMMITTED): committed when it resolves, rolled back when it
 * throws. Everything a state change implies (rows, status history, outbox messages) goes through
 * the same `tx` so it is durable all together or not at all.
 */
export function withTransaction<T>(ds: DataSource, fn: (tx: EntityManager) => Promise<T>): Promise<T> {
  return ds.transaction(fn);
}
