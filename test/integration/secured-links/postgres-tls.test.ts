import assert from 'node:assert/strict';
import { Client } from 'pg';
import { loadConfig } from '@msched/config';
import { openDatabase } from '@msched/db';
import { createTestCa, TestCa } from '../../helpers/test-ca';
import { startTlsPostgres, ThrowawayPostgres } from '../../helpers/throwaway-postgres';

/**
 * MSCHED_DATABASE_URL with sslmode=verify-full: the services' DataSource, migrations and LISTEN
 * clients all take their TLS settings from the URL, so a TLS-only server with a certificate of our
 * CA is reached, and a server whose certificate is not for the host, or not of the CA, is refused.
 */
describe('PostgreSQL over TLS (sslmode=verify-full, throwaway server with a test CA)', function () {
  this.timeout(90000);
  let ca: TestCa;
  let other: TestCa;
  let pg: ThrowawayPostgres;

  before(async () => {
    ca = createTestCa();
    other = createTestCa('another CA');
    pg = await startTlsPostgres(ca.issue('postgres', ['DNS:localhost']));
  });
  after(async () => { await pg?.stop(); });

  const url = (host: string, caFile: string) => `postgresql://postgres@${host}:${pg.port}/postgres?sslmode=verify-full&sslrootcert=${encodeURIComponent(caFile)}`;

  it('opens the job database (migrations included) over verified TLS', async () => {
    const cfg = loadConfig({ MSCHED_DATABASE_URL: url('localhost', ca.caCertFile), MSCHED_API_AUTH_MODE: 'none' });
    const ds = await openDatabase(cfg.database, { migrate: true, applicationName: 'msched-tls-test' });
    try {
      const [{ ssl }] = await ds.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      assert.equal(ssl, true);
      const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM experiments');
      assert.equal(n, 0);
    } finally {
      await ds.destroy();
    }
  });

  it('refuses a certificate of another CA, a certificate for another host name, and plain connections', async () => {
    const attempt = async (connectionString: string) => {
      const c = new Client({ connectionString });
      try {
        await c.connect();
        return 'connected';
      } catch (e) {
        return (e as Error).message;
      } finally {
        await c.end().catch(() => undefined);
      }
    };
    assert.match(await attempt(url('localhost', other.caCertFile)), /self[- ]signed certificate in certificate chain|unable to verify/);
    assert.match(await attempt(url('127.0.0.1', ca.caCertFile)), /does not match certificate's altnames/);
    assert.match(await attempt(`postgresql://postgres@localhost:${pg.port}/postgres?sslmode=disable`), /no pg_hba\.conf entry .*no encryption/);
  });
});
