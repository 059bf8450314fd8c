import assert from 'node:assert/strict';
import { startConsole, RunningConsole } from '@msched/console';
import type { DataSource } from 'typeorm';
import { freshDatabase, requireStack, testConfig } from '../../helpers/stack';
import { testLogger } from '../../helpers/pipeline';
import { AUTH_ENV, consoleFetch } from './harness';

/**
 * An operator needs the console most when something is down: with no Kafka it still starts and
 * serves every page from the database, and tells the pages to poll instead of waiting for events.
 */
describe('console without Kafka (integration)', function () {
  this.timeout(120000);
  let ds: DataSource;
  let c: RunningConsole | undefined;

  before(async () => {
    await requireStack('postgres');
    ds = await freshDatabase(testConfig(AUTH_ENV));
  });
  after(async () => {
    await c?.close();
    await ds?.destroy();
  });

  it('starts, serves the jobs, and its event stream says there are no events', async () => {
    // Nothing listens on port 1: every connection to "Kafka" is refused.
    const cfg = testConfig({ ...AUTH_ENV, MSCHED_KAFKA_BROKERS: '127.0.0.1:1' });
    c = await startConsole(cfg, { logger: testLogger('console'), ds, port: 0 });
    assert.equal((await consoleFetch(c, '/api/jobs')).status, 200);
    const stream = await consoleFetch(c, '/api/events');
    const reader = stream.body!.getReader();
    let got = '';
    while (!got.includes('event: ready')) got += Buffer.from((await reader.read()).value!).toString('utf8');
    await reader.cancel();
    assert.match(got, /event: ready\ndata: \{"events":false\}/);
  });
});
