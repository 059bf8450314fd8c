import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Consumer } from 'kafkajs';
import { consumerLag, createKafka, encodeEnvelope, ensureTopics, Envelope, makeEnvelope, startEnvelopeConsumer } from '@msched/bus';
import { createLogger } from '@msched/logging';
import { requireStack, testConfig } from '../../helpers/stack';

describe('envelope consumer over real Kafka (integration)', () => {
  const cfg = testConfig();
  const kafka = createKafka(cfg.kafka);
  const logger = createLogger({ service: 'test', silent: true });
  const topic = `${cfg.kafka.topicPrefix}consumer-${randomUUID().slice(0, 8)}`;
  let consumer: Consumer | undefined;

  before(async () => {
    await requireStack('kafka');
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [topic], { partitions: 1, replicationFactor: 1 });
    await admin.disconnect();
  });
  after(async () => { await consumer?.disconnect(); });

  it('skips poison, redelivers after a handler failure, and keeps partition order', async () => {
    const seen: string[] = [];
    const poison: string[] = [];
    let failOnce = true;
    const done = new Promise<void>((resolve) => {
      void startEnvelopeConsumer({
        kafka, groupId: `g-${randomUUID()}`, topics: [topic], logger,
        handle: async (env: Envelope) => {
          const n = (env.payload as { n: number }).n;
          if (n === 2 && failOnce) {
            failOnce = false;
            throw new Error('database is down');
          }
          seen.push(`m${n}`);
          if (n === 3) resolve();
        },
        onPoison: async (_m, _meta, reason) => { poison.push(reason); },
      }).then((c) => { consumer = c; });
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { key: 'k', value: encodeEnvelope(makeEnvelope('t', { n: 1 })) },
        { key: 'k', value: Buffer.from('not json') },
        { key: 'k', value: encodeEnvelope(makeEnvelope('t', { n: 2 })) },
        { key: 'k', value: encodeEnvelope(makeEnvelope('t', { n: 3 })) },
      ],
    });
    await producer.disconnect();
    await done;
    assert.deepEqual(seen, ['m1', 'm2', 'm3']);
    assert.deepEqual(poison, ['message is not JSON']);
  });
});

describe('consumer lag (integration, real Kafka)', () => {
  const cfg = testConfig();
  const kafka = createKafka(cfg.kafka);
  const topic = `${cfg.kafka.topicPrefix}lag-${randomUUID().slice(0, 8)}`;

  it('is what the group has not committed yet, per partition', async () => {
    await requireStack('kafka');
    const admin = kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, [topic], { partitions: 1, replicationFactor: 1 });
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic, messages: [1, 2, 3, 4, 5].map((n) => ({ value: encodeEnvelope(makeEnvelope('t', { n })) })) });
      await producer.disconnect();
      const groupId = `lag-${randomUUID()}`;
      assert.deepEqual(await consumerLag(admin, groupId, [topic]), [{ topic, partition: 0, lag: 5 }], 'a group that never committed is behind by everything');
      await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: '3' }] });
      assert.deepEqual(await consumerLag(admin, groupId, [topic]), [{ topic, partition: 0, lag: 2 }]);
    } finally {
      await admin.disconnect();
    }
  });
});
