import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import type { Config } from '@msched/config';
import { createKafka, decodeEnvelope, ensureTopics, topicName } from '@msched/bus';
import { enqueueOutbox } from '@msched/db';
import { createLogger } from '@msched/logging';
import { OutboxRelay } from '@msched/outbox';
import { requireStack } from '../../helpers/stack';
import { ownDatabase } from '../../helpers/own-database';
import { eventually } from '../../helpers/eventually';
import { readTopic } from '../../helpers/kafka-reader';
import { startThrowawayKafka, ThrowawayKafka } from '../../helpers/throwaway-kafka';

/**
 * Stops and restarts a Kafka broker under a running relay. The broker is our own throwaway one (free
 * ports, temporary folder), never the shared stack's.
 */
describe('outbox relay through a Kafka outage (integration, own broker)', function () {
  this.timeout(180_000);
  let cfg: Config;
  let ds: DataSource;
  let kafka: ThrowawayKafka;
  let relay: OutboxRelay | undefined;
  const logLines: string[] = [];

  before(async () => {
    await requireStack('postgres');
    ({ cfg, ds } = await ownDatabase('outage'));
    kafka = await startThrowawayKafka();
    const admin = createKafka({ ...cfg.kafka, brokers: [...kafka.brokers] }).admin();
    await admin.connect();
    await ensureTopics(admin, [topicName(cfg.kafka.topicPrefix, 'launch')], { partitions: 2, replicationFactor: 1 });
    await admin.disconnect();
  });
  after(async () => {
    await relay?.stop();
    await kafka?.destroy();
    await ds?.destroy();
  });

  it('keeps rows while Kafka is down, then delivers every one of them, in order per key', async () => {
    const brokerCfg = { ...cfg.kafka, brokers: [...kafka.brokers] };
    const logger = createLogger({ service: 'relay-test', level: 'warn', format: 'json', stream: new Writable({ write(c, _e, cb) { logLines.push(String(c)); cb(); } }) });
    relay = new OutboxRelay({
      ds, logger, topicPrefix: cfg.kafka.topicPrefix, listenUrl: cfg.database.url,
      kafka: createKafka(brokerCfg, undefined, { retries: 1, connectionTimeout: 1000 }),
      backoff: { initialMs: 100, maxMs: 1000 }, pollIntervalMs: 200,
    });
    await relay.start();
    const keys = [`outage-a-${randomUUID()}`, `outage-b-${randomUUID()}`];
    const enqueue = async (from: number, to: number) => {
      for (let n = from; n < to; n++) for (const key of keys) await enqueueOutbox(ds, { topic: 'launch', key, type: 'test.message', payload: { n } });
    };
    const unsent = async () => Number((await ds.query('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL'))[0].n);

    await enqueue(0, 5);
    await eventually('the first rows are sent', async () => (await unsent()) === 0);

    await kafka.stop();
    await enqueue(5, 10);
    await eventually('the relay has tried and failed', async () => {
      const [r] = await ds.query('SELECT count(*) FILTER (WHERE attempts > 0 AND last_error IS NOT NULL) AS failed, count(*) AS waiting FROM outbox WHERE sent_at IS NULL');
      return Number(r.failed) === 10 && Number(r.waiting) === 10;
    }, 60_000);
    assert.ok(logLines.some((l) => /outbox relay: publishing 10 message\(s\) to Kafka failed/.test(l)), 'the failure is logged with its reason');

    await kafka.start();
    await eventually('every waiting row is sent after Kafka is back', async () => (await unsent()) === 0, 90_000);

    const reader = await readTopic(createKafka(brokerCfg), topicName(cfg.kafka.topicPrefix, 'launch'));
    try {
      await eventually('all 20 messages are read back', () => new Set(reader.messages.map((m) => decodeEnvelope(Buffer.from(m.value)).id)).size >= 20, 60_000);
      for (const key of keys) {
        const ns = reader.messages.filter((m) => m.key === key).map((m) => (decodeEnvelope(Buffer.from(m.value)).payload as { n: number }).n);
        // At least once: a batch in flight when the broker died may come twice, but never out of order.
        const firstSeen = ns.filter((n, i) => ns.indexOf(n) === i);
        assert.deepEqual(firstSeen, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], `order of ${key}`);
      }
    } finally {
      await reader.stop();
    }
  });
});
