import assert from 'node:assert/strict';
import { Partitioners, PartitionerArgs } from 'kafkajs';
import { loadConfig } from '@msched/config';
import { amqpTarget, channelGroupId, retryDelay, experimentPartitioner, planPublishers } from '@msched/publishers';

describe('publishers: configuration, partitioning, retry policy (pure)', () => {
  it('runs the configured channels; RabbitMQ only with a URL', () => {
    const plan = planPublishers(loadConfig({ MSCHED_KAFKA_TOPIC_PREFIX: 'p.' }));
    assert.equal(plan.eventsTopic, 'p.events');
    assert.deepEqual(plan.channels, [{ channel: 'airavata-kafka', kind: 'kafka', brokers: ['127.0.0.1:29092'], topic: 'p.airavata.status' }]);
    assert.deepEqual(plan.disabled, [{ channel: 'airavata-amqp', reason: 'MSCHED_PUBLISHERS_AMQP_URL is empty' }]);

    const all = planPublishers(loadConfig({
      MSCHED_PUBLISHERS: 'airavata-kafka,airavata-amqp,job-monitor,monitoring-data',
      MSCHED_PUBLISHERS_KAFKA_BROKERS: 'airavata:9092',
      MSCHED_PUBLISHERS_MESSAGING_TOPIC: 'status-events',
      MSCHED_PUBLISHERS_AMQP_URL: 'amqp://airavata:s3cret@rabbit:5672/%2F',
    }));
    assert.deepEqual(all.channels, [
      { channel: 'airavata-kafka', kind: 'kafka', brokers: ['airavata:9092'], topic: 'status-events' },
      { channel: 'airavata-amqp', kind: 'amqp', url: 'amqp://airavata:s3cret@rabbit:5672/%2F', exchange: 'status_exchange' },
      { channel: 'job-monitor', kind: 'kafka', brokers: ['airavata:9092'], topic: 'helix-airavata-mq' },
      { channel: 'monitoring-data', kind: 'kafka', brokers: ['airavata:9092'], topic: 'monitoring-data' },
    ]);
    assert.deepEqual(planPublishers(loadConfig({ MSCHED_PUBLISHERS: '' })).channels, []);
    assert.equal(channelGroupId(loadConfig({ MSCHED_KAFKA_TOPIC_PREFIX: 'p.' }), 'job-monitor'), 'p.publisher.job-monitor');
  });

  it('never shows AMQP credentials', () => {
    assert.equal(amqpTarget('amqp://airavata:s3cret@rabbit:5672/%2F?heartbeat=10'), 'amqp://rabbit:5672/%2F');
    assert.equal(amqpTarget('amqp://guest:guest@127.0.0.1:5672'), 'amqp://127.0.0.1:5672');
    assert.throws(() => loadConfig({ MSCHED_PUBLISHERS_AMQP_URL: 'http://u:s3cret@h' }), (e: Error) => !e.message.includes('s3cret'));
  });

  it('puts one experiment on one partition whatever the key', () => {
    const partitionMetadata = [0, 1, 2, 3, 4, 5, 6, 7].map((partitionId) => ({ partitionId, leader: 1, replicas: [1], isr: [1], partitionErrorCode: 0, offlineReplicas: [] }));
    const partition = experimentPartitioner();
    const byKey = Partitioners.DefaultPartitioner();
    const args = (key: string, experimentId?: string): PartitionerArgs => ({
      topic: 't', partitionMetadata, message: { key, value: 'v', headers: experimentId ? { experimentId } : {} },
    });
    const keys = ['gw.EXP-42', 'gw.EXP-42.P', 'gw.EXP-42.P.T', 'gw.EXP-42.P.T.J', 'J'];
    const parts = new Set(keys.map((k) => partition(args(k, 'EXP-42'))));
    assert.equal(parts.size, 1);
    assert.equal([...parts][0], byKey(args('EXP-42')));
    // The plain key hash would have scattered them: that is why the partitioner exists.
    assert.ok(new Set(keys.map((k) => byKey(args(k)))).size > 1);
    assert.equal(partition(args('J')), byKey(args('J')));
  });

  it('backs off by doubling up to a cap', () => {
    const policy = { initialMs: 100, maxMs: 1000, windowMs: 5000 };
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((a) => retryDelay(a, policy)), [100, 200, 400, 800, 1000, 1000]);
  });
});
