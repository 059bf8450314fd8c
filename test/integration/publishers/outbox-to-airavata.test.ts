import assert from 'node:assert/strict';
import type { DataSource } from 'typeorm';
import { createKafka, Envelope, topicName } from '@msched/bus';
import { enqueueOutbox, withTransaction } from '@msched/db';
import { createLogger } from '@msched/logging';
import { STATUS_EVENT_TYPE, OUTPUTS_EVENT_TYPE } from '@msched/model';
import { OutboxRelay } from '@msched/outbox';
import { Publishers, startPublishers } from '@msched/publishers';
import { dbUrlFor, freshDatabase, requireStack, RUN_ID, testConfig } from '../../helpers/stack';
import { startThrowawayKafka, ThrowawayKafka } from '../../helpers/throwaway-kafka';
import {
  AMQP_URL, requireRabbitMQ, bindQueues, chainEnvelopes, collectTopics, createTopics, decodeAiravata, deleteAmqp, drainQueue,
  expectedAiravata, experimentIds, firstOfEach, mpiChain, recorder,
} from './support';
import { eventually } from '../../helpers/eventually';

/**
 * The whole path of a status: committed to the outbox in PostgreSQL, relayed to the events topic,
 * fanned out to Airavata's channels. Kafka (one throwaway broker holding the events topic and the
 * Airavata topic, as one production cluster would) is stopped while the job runs: statuses
 * committed meanwhile wait in the outbox, and all of them reach Airavata, in order, once it is back.
 */
describe('publishers: from the outbox to Airavata through a Kafka outage (integration, throwaway broker)', () => {
  const prefix = `${testConfig().kafka.topicPrefix}pube2e.`;
  const exchange = `${prefix}status_exchange`;
  const queue = `${prefix}all`;
  const logger = createLogger({ service: 'test', silent: process.env.MSCHED_TEST_LOGS !== '1' });
  const ids = experimentIds('mpi-e2e');
  const steps = mpiChain('completed');
  // The payloads the workers write; the outbox gives each its envelope (and id) at commit.
  const payloads = chainEnvelopes(ids, steps).map((e) => ({ type: e.type, payload: e.payload }));
  const cut = steps.findIndex((s) => s.entity === 'job' && s.state === 'ACTIVE') + 1;
  const rec = recorder();
  let broker: ThrowawayKafka | undefined;
  let ds: DataSource | undefined;
  let relay: OutboxRelay | undefined;
  let publishers: Publishers | undefined;

  before(async function () {
    this.timeout(120_000);
    await requireStack('postgres', 'kafka');
    await requireRabbitMQ();
    broker = await startThrowawayKafka();
  });

  after(async function () {
    this.timeout(60_000);
    await publishers?.stop();
    await relay?.stop();
    await ds?.destroy();
    await broker?.destroy();
    await deleteAmqp(exchange, [queue]).catch((e: Error) => console.warn(`could not delete the test exchange and queues: ${e.message}`));
  });

  it('every status committed before, during and after the outage reaches Kafka and RabbitMQ, in order', async function () {
    this.timeout(240_000);
    const cfg = testConfig({
      MSCHED_DATABASE_URL: dbUrlFor(`msched_${RUN_ID}_pube2e`),
      MSCHED_KAFKA_BROKERS: broker!.brokers.join(','),
      MSCHED_KAFKA_TOPIC_PREFIX: prefix,
      MSCHED_PUBLISHERS: 'airavata-kafka,airavata-amqp',
      MSCHED_PUBLISHERS_AMQP_URL: AMQP_URL,
      MSCHED_PUBLISHERS_AMQP_EXCHANGE: exchange,
    });
    const kafka = createKafka(cfg.kafka);
    const messaging = topicName(prefix, 'airavataMessaging');
    await createTopics(kafka, [topicName(prefix, 'events'), messaging]);
    await bindQueues(exchange, { [queue]: '#' });
    ds = await freshDatabase(cfg);
    relay = new OutboxRelay({
      ds, logger, topicPrefix: prefix, listenUrl: cfg.database.url, pollIntervalMs: 200, backoff: { initialMs: 100, maxMs: 1000 },
      kafka: createKafka(cfg.kafka, undefined, { retries: 1, connectionTimeout: 1000 }),
    });
    await relay.start();
    publishers = await startPublishers(cfg, logger, { observer: rec.observer, retry: { initialMs: 100, maxMs: 1000, windowMs: 10_000 } });

    const committed: Envelope[] = [];
    const commit = async (from: number, to: number) => {
      for (const p of payloads.slice(from, to)) {
        committed.push(await withTransaction(ds!, (tx) => enqueueOutbox(tx, { topic: 'events', key: ids.experimentId, type: p.type, payload: p.payload })));
      }
    };
    const publishedBoth = (envs: readonly Envelope[]) => envs.every((e) => rec.published('airavata-kafka').has(e.id) && rec.published('airavata-amqp').has(e.id));

    await commit(0, cut);
    await eventually('the statuses before the outage on both channels', () => publishedBoth(committed));

    await broker!.stop();
    await commit(cut, payloads.length);
    await eventually('the relay to meet the outage', () => relay!.getStats().failedAttempts > 0);
    const unsent = Number((await ds.query('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL'))[0].n);
    assert.equal(unsent, payloads.length - cut, 'the statuses committed during the outage wait in the outbox');

    await broker!.start();
    await eventually('every status on both channels', () => publishedBoth(committed), { timeoutMs: 150_000 });

    assert.deepEqual(committed.map((e) => e.type), payloads.map((p) => p.type));
    assert.ok(committed.every((e) => e.type === STATUS_EVENT_TYPE || e.type === OUTPUTS_EVENT_TYPE));
    const collected = await collectTopics(kafka, [messaging]);
    try {
      const mine = () => collected.messages.filter((m) => m.headers.experimentId === ids.experimentId);
      // A new consumer group on a broker just restarted: its coordinator may still be loading the
      // offsets topic, so joining can take long on a loaded machine (45 s once, in a full run).
      await eventually('the chain read back from Kafka', () => new Set(mine().map((m) => m.headers.messageId)).size >= committed.length, { timeoutMs: 150_000 });
      const onKafka = firstOfEach(mine().map((m) => decodeAiravata(m.value)), (d) => d.messageId);
      assert.deepEqual(onKafka.map((d) => d.summary), expectedAiravata(ids, steps));
      assert.deepEqual(onKafka.map((d) => d.messageId), committed.map((e) => e.id));
    } finally {
      await collected.stop();
    }
    const amqp = await drainQueue(queue, (ms) => new Set(ms.map((m) => m.messageId)).size >= committed.length);
    const onRabbit = firstOfEach(amqp, (m) => m.messageId).map((m) => decodeAiravata(m.body));
    assert.deepEqual(onRabbit.map((d) => d.summary), expectedAiravata(ids, steps));
    assert.deepEqual(onRabbit.map((d) => d.messageId), committed.map((e) => e.id));
  });
});
