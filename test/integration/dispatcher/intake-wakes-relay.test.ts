import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import { notifyOutbox } from '@msched/db';
import { startDispatcher, type DispatcherHandle } from '@msched/dispatcher';
import { requireStack } from '../../helpers/stack';
import { testLogger } from '../../helpers/pipeline';
import { eventually, prepareSuite, removeZkRoot, seedJob, suiteConfig } from './support';

/**
 * Regression: the status events the intake writes when a gang is queued (job and process QUEUED,
 * experiment SCHEDULED) waited for the relay's next poll (1 s by default), because the intake woke
 * the leader but not the outbox relay of its own process. Here the poll is ten minutes and no
 * master answers (so no other commit of the leader wakes the relay): the events must still go out.
 */
describe('dispatcher: the intake wakes its outbox relay', function () {
  this.timeout(120_000);
  const cfg = suiteConfig('dwake', { MSCHED_OUTBOX_POLL_INTERVAL_MS: '600000' });
  let ds: DataSource;
  let d: DispatcherHandle | undefined;

  before(async () => {
    await requireStack('postgres', 'kafka', 'zookeeper');
    ds = await prepareSuite(cfg);
    d = await startDispatcher(cfg, { logger: testLogger('dispatcher') });
  });
  after(async () => {
    await d?.stop();
    await ds?.destroy();
    await removeZkRoot(cfg).catch(() => undefined);
  });

  it('publishes the QUEUED events right after the gang was queued, without waiting for a poll', async () => {
    const job = await seedJob(ds, { ranks: 1, argv: ['/bin/true'] });
    await notifyOutbox(ds); // as any writer in another process: the GangReady goes out on NOTIFY
    await eventually('the gang queued', async () => (await ds.query('SELECT state FROM jobs WHERE id = $1', [job.jobId]))[0].state === 'QUEUED' || undefined);
    const events = await eventually('the QUEUED events published', async () => {
      const rows: Array<{ state: string; sent: boolean }> = await ds.query(`SELECT envelope->'payload'->>'state' AS state, sent_at IS NOT NULL AS sent FROM outbox
        WHERE topic = 'events' AND message_key = $1 ORDER BY seq`, [job.experimentId]);
      return rows.length > 0 && rows.every((r) => r.sent) ? rows : undefined;
    });
    assert.deepEqual(events.map((e) => e.state), ['QUEUED', 'QUEUED', 'SCHEDULED']);
  });
});
