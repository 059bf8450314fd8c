import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import type { Pool, PoolClient } from 'pg';
import { freshDatabase, requireStack } from '../../helpers/stack';

/**
 * Found by the 30-minute chaos run: an API server died of an 'error' event nobody listened to, on
 * a connection of the pool, while PostgreSQL restarted. Between the pool handing a connection out
 * and TypeORM's query runner adding its listener, the connection has no 'error' listener; an error
 * then (the server's FATAL in the same packet as its ReadyForQuery) threw and ended the process.
 */
describe('job database: errors on a pooled connection between hand-out and use (integration)', function () {
  this.timeout(30_000);
  let ds: DataSource;

  before(async () => {
    await requireStack('postgres');
    ds = await freshDatabase();
  });
  after(() => ds?.destroy());

  it('a connection just handed out survives an error event, and the pool goes on serving', async () => {
    const pool = (ds.driver as unknown as { master: Pool }).master;
    const client: PoolClient = await pool.connect();
    // What the pool attaches is gone once the client is handed out: this is the window.
    assert.doesNotThrow(() => client.emit('error', new Error('terminating connection due to unexpected postmaster exit')));
    client.release(true);
    assert.deepEqual(await ds.query('SELECT 1 AS one'), [{ one: 1 }]);
  });
});
