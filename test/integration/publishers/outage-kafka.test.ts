import assert from 'node:assert/strict';
import { createKafka, topicName } from '@msched/bus';
import { createLogger } from '@msched/logging';
import { Publishers, startPublishers } from '@msched/publishers';
import { requireStack, testConfig } from '../../helpers/stack';
import { startThrowawayKafka, ThrowawayKafka } from '../../helpers/throwaway-kafka';
import {
  chainEnvelopes, collectTopics, createTopics, decodeAiravata, expectedAiravata, experimentIds, firstOfEach, mpiChain,
  recorder, relay,
} from './support';
import { eventually } from '../../helpers/eventually';

describe('publishers: Airavata\'s Kafka stopped while a job runs (integration, throwaway broker)', () => {
  const prefix = `${testConfig().kafka.topicPrefix}pubkafka.`;
  const messaging = `${prefix}airavata.status`;
  const ids = experimentIds('mpi-kafka-outage');
  const steps = mpiChain('completed');
  const envs = chainEnvelopes(ids, steps);
  const cut = steps.findIndex((s) => s.entity === 'job' && s.state === 'ACTIVE') + 1;
  const logger = createLogger({ service: 'test', silent: process.env.MSCHED_TEST_LOGS !== '1' });
  const rec = recorder();
  let airavataKafka: ThrowawayKafka | undefined;
  let publishers: Publishers | undefined;

  before(async function () {
    this.timeout(120_000);
    await requireStack('kafka');
    airavataKafka = await startThrowawayKafka();
  });

  after(async function () {
    this.timeout(60_000);
    await publishers?.stop();
    await airavataKafka?.destroy();
  });

  it('delivers every status in order, on one partition, once the broker is back', async function () {
    this.timeout(240_000);
    const cfg = testConfig({
      MSCHED_KAFKA_TOPIC_PREFIX: prefix,
      MSCHED_PUBLISHERS: 'airavata-kafka',
      MSCHED_PUBLISHERS_KAFKA_BROKERS: airavataKafka!.brokers.join(','),
      MSCHED_PUBLISHERS_MESSAGING_TOPIC: messaging,
    });
    const ours = createKafka(cfg.kafka);
    const theirs = createKafka({ ...cfg.kafka, brokers: airavataKafka!.brokers });
    const events = topicName(prefix, 'events');
    await createTopics(ours, [events]);
    await createTopics(theirs, [messaging], 3);
    publishers = await startPublishers(cfg, logger, { observer: rec.observer, retry: { initialMs: 100, maxMs: 1000, windowMs: 10_000 } });

    await relay(ours, events, envs.slice(0, cut));
    await eventually('the first half on the Airavata topic', () => envs.slice(0, cut).every((e) => rec.published('airavata-kafka').has(e.id)));

    await airavataKafka!.stop();
    await relay(ours, events, envs.slice(cut));
    await eventually('the channel to meet the outage', () => rec.retried('airavata-kafka'));
    assert.ok(!envs.slice(cut).some((e) => rec.published('airavata-kafka').has(e.id)), 'nothing after the cut was confirmed while the broker was down');

    await airavataKafka!.start();
    await eventually('the whole chain confirmed', () => envs.every((e) => rec.published('airavata-kafka').has(e.id)), { timeoutMs: 120_000 });

    const collected = await collectTopics(theirs, [messaging]);
    try {
      const mine = () => collected.messages.filter((m) => m.headers.experimentId === ids.experimentId);
      await eventually('the whole chain read back', () => new Set(mine().map((m) => m.headers.messageId)).size >= envs.length);
      const decoded = firstOfEach(mine().map((m) => decodeAiravata(m.value)), (d) => d.messageId);
      assert.deepEqual(decoded.map((d) => d.summary), expectedAiravata(ids, steps));
      assert.deepEqual(decoded.map((d) => d.messageId), envs.map((e) => e.id));
      assert.equal(new Set(mine().map((m) => m.partition)).size, 1, 'one experiment, one partition');
    } finally {
      await collected.stop();
    }
  });
});
