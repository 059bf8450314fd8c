import assert from 'node:assert/strict';
import { createKafka, Envelope, makeEnvelope, topicName } from '@msched/bus';
import { createLogger } from '@msched/logging';
import { STATUS_EVENT_TYPE } from '@msched/model';
import {
  encodeMessagingEvent, Fanout, KafkaSink, OutboundMessage, Publishers, Sink, startFanout, startPublishers,
} from '@msched/publishers';
import { requireStack, testConfig } from '../../helpers/stack';
import {
  AMQP_URL, requireRabbitMQ, bindQueues, chainEnvelopes, collectTopics, createTopics, decodeAiravata, deleteAmqp, drainQueue,
  expectedAiravata, experimentIds, firstOfEach, mpiChain, publishersSuite, Received, recorder, relay,
} from './support';
import { eventually } from '../../helpers/eventually';

/** At-least-once with stable ids: what a redelivery, a lost confirm, a bad event and a restart look like. */
describe('publishers: redelivery, lost confirms, bad events, restarts (integration)', () => {
  const { prefix, exchange, queue, cfg, events, messaging, kafka, logger } = publishersSuite('pubdeliv');
  let collected: { messages: Received[]; stop(): Promise<void> } | undefined;
  const onKafka = (experimentId: string) => collected!.messages.filter((m) => m.topic === messaging && m.headers.experimentId === experimentId);

  before(async () => {
    await requireStack('kafka');
    await requireRabbitMQ();
    await createTopics(kafka, [events, messaging, `${prefix}lost-confirm.events`, `${prefix}lost-confirm.out`]);
    await bindQueues(exchange, { [queue]: '#' });
    collected = await collectTopics(kafka, [messaging, `${prefix}lost-confirm.out`]);
  });

  after(async () => {
    await collected?.stop();
    await deleteAmqp(exchange, [queue]).catch((e: Error) => console.warn(`could not delete the test exchange and queues: ${e.message}`));
  });

  it('an envelope relayed twice gives two messages with the same messageId and bytes, on Kafka and RabbitMQ', async () => {
    const ids = experimentIds('redelivered');
    const [env] = chainEnvelopes(ids, [{ entity: 'experiment', state: 'CREATED' }]);
    const publishers = await startPublishers(cfg, logger);
    try {
      await relay(kafka, events, [env]);
      await relay(kafka, events, [env]); // the outbox relay crashed before marking the row sent
      await eventually('both copies on Kafka', () => onKafka(ids.experimentId).length >= 2);
      const [a, b] = onKafka(ids.experimentId);
      assert.equal(a.headers.messageId, env.id);
      assert.equal(b.headers.messageId, env.id);
      assert.ok(a.value.equals(b.value));
      assert.equal(decodeAiravata(a.value).messageId, env.id);
      const amqp = (await drainQueue(queue, 2)).filter((m) => m.headers.experimentId === ids.experimentId);
      assert.deepEqual(amqp.map((m) => m.messageId), [env.id, env.id]);
      assert.ok(amqp[0].body.equals(amqp[1].body) && amqp[0].body.equals(a.value));
    } finally {
      await publishers.stop();
    }
  });

  it('a confirm lost after the broker stored the message: sent again with the same id, and nothing overtakes it', async () => {
    const ids = experimentIds('lost-confirm');
    const envs = chainEnvelopes(ids, mpiChain('completed').slice(0, 3));
    const real = new KafkaSink({ channel: 'lossy', brokers: cfg.kafka.brokers, clientId: 'test-lossy', topic: `${prefix}lost-confirm.out`, logger });
    let lost = false;
    // The broker stores the first send but its answer never arrives: a real send, then an error.
    const lossy: Sink = {
      target: real.target,
      async send(messages: readonly OutboundMessage[]) {
        await real.send(messages);
        if (!lost) {
          lost = true;
          throw new Error('connection reset before the produce response');
        }
      },
      close: () => real.close(),
    };
    const rec = recorder();
    let fanout: Fanout | undefined;
    try {
      fanout = await startFanout({
        channel: 'lossy', kafka, groupId: `${prefix}lost-confirm`, eventsTopic: `${prefix}lost-confirm.events`,
        encode: encodeMessagingEvent, sink: lossy, logger, retry: { initialMs: 50, maxMs: 200, windowMs: 5000 }, observer: rec.observer,
      });
      await relay(kafka, `${prefix}lost-confirm.events`, envs);
      const mine = () => collected!.messages.filter((m) => m.headers.experimentId === ids.experimentId);
      await eventually('the chain plus one duplicate', () => mine().length >= envs.length + 1);
      assert.deepEqual(mine().map((m) => m.headers.messageId), [envs[0].id, envs[0].id, envs[1].id, envs[2].id]);
      assert.deepEqual(rec.events.filter((e) => e.kind === 'retrying').map((e) => e.envelopeId), [envs[0].id]);
    } finally {
      await fanout?.stop();
    }
  });

  it('an outage longer than the retry window: the consumer redelivers the same event, nothing is skipped', async () => {
    const ids = experimentIds('long-outage');
    const envs = chainEnvelopes(ids, mpiChain('completed').slice(0, 4));
    const topic = `${prefix}long-outage.events`;
    const out = `${prefix}lost-confirm.out`;
    await createTopics(kafka, [topic]);
    const real = new KafkaSink({ channel: 'flaky', brokers: cfg.kafka.brokers, clientId: 'test-flaky', topic: out, logger });
    let down = false;
    const flaky: Sink = {
      target: real.target,
      async send(messages: readonly OutboundMessage[]) {
        if (down) throw new Error('broker unreachable');
        await real.send(messages);
      },
      close: () => real.close(),
    };
    const rec = recorder();
    let fanout: Fanout | undefined;
    try {
      fanout = await startFanout({
        channel: 'flaky', kafka, groupId: `${prefix}long-outage`, eventsTopic: topic,
        encode: encodeMessagingEvent, sink: flaky, logger, retry: { initialMs: 50, maxMs: 100, windowMs: 300 }, observer: rec.observer,
      });
      await relay(kafka, topic, envs.slice(0, 1));
      await eventually('the first event out', () => rec.published('flaky').has(envs[0].id));
      down = true;
      await relay(kafka, topic, envs.slice(1));
      // attempt 1 twice for the same event: the handler gave up after its window and the consumer delivered it again.
      const restarts = () => rec.events.filter((e) => e.kind === 'retrying' && e.envelopeId === envs[1].id && e.attempt === 1).length;
      await eventually('a redelivery by the consumer', () => restarts() >= 2);
      assert.ok(!envs.slice(1).some((e) => rec.published('flaky').has(e.id)));
      assert.ok(rec.events.every((e) => e.kind !== 'retrying' || e.envelopeId === envs[1].id), 'nothing after the stuck event was tried');
      down = false;
      const mine = () => collected!.messages.filter((m) => m.headers.experimentId === ids.experimentId);
      await eventually('the whole chain', () => mine().length >= envs.length);
      assert.deepEqual(mine().map((m) => m.headers.messageId), envs.map((e) => e.id));
    } finally {
      await fanout?.stop();
    }
  });

  it('a malformed event is skipped with its reason; the events after it still go out, in order', async () => {
    const ids = experimentIds('bad-event');
    const [first, last] = chainEnvelopes(ids, [{ entity: 'experiment', state: 'CREATED' }, { entity: 'experiment', state: 'VALIDATED' }]);
    const bad: Envelope = makeEnvelope(STATUS_EVENT_TYPE, { entity: 'job', state: 'RUNNING', gatewayId: 'seagrid', experimentId: ids.experimentId, time: new Date().toISOString() });
    const rec = recorder();
    const publishers = await startPublishers(cfg, logger, { observer: rec.observer });
    try {
      await relay(kafka, events, [first, bad, last]);
      await eventually('the last event on Kafka', () => onKafka(ids.experimentId).length >= 2);
      assert.deepEqual(onKafka(ids.experimentId).map((m) => m.headers.messageId), [first.id, last.id]);
      const skippedBad = () => rec.events.filter((e) => e.kind === 'skipped' && e.envelopeId === bad.id);
      await eventually('both channels to skip it', () => skippedBad().length === 2);
      const skipped = skippedBad();
      assert.deepEqual(skipped.map((e) => e.channel).sort(), ['airavata-amqp', 'airavata-kafka']);
      assert.ok(skipped.every((e) => e.kind === 'skipped' && /"RUNNING" is not an Airavata job state/.test(e.reason)));
      const amqp = (await drainQueue(queue, 2)).filter((m) => m.headers.experimentId === ids.experimentId);
      assert.deepEqual(amqp.map((m) => m.messageId), [first.id, last.id]);
    } finally {
      await publishers.stop();
    }
  });

  it('after a stop, a restart resumes where the channel\'s group committed: nothing lost, order kept', async () => {
    const ids = experimentIds('restart');
    const steps = mpiChain('completed');
    const envs = chainEnvelopes(ids, steps);
    const half = Math.floor(envs.length / 2);
    const rec = recorder();
    let publishers: Publishers = await startPublishers(cfg, logger, { observer: rec.observer });
    try {
      await relay(kafka, events, envs.slice(0, half));
      await eventually('the first half on both channels', () => envs.slice(0, half).every((e) => rec.published('airavata-kafka').has(e.id) && rec.published('airavata-amqp').has(e.id)));
      await publishers.stop();
      // Committed while nothing publishes: it waits in the events topic.
      await relay(kafka, events, envs.slice(half));
      publishers = await startPublishers(cfg, logger, { observer: rec.observer });
      await eventually('the whole chain on Kafka', () => new Set(onKafka(ids.experimentId).map((m) => m.headers.messageId)).size >= envs.length);
      const kafkaChain = firstOfEach(onKafka(ids.experimentId).map((m) => decodeAiravata(m.value)), (d) => d.messageId);
      assert.deepEqual(kafkaChain.map((d) => d.summary), expectedAiravata(ids, steps));
      const amqp = await drainQueue(queue, (ms) => new Set(ms.filter((m) => m.headers.experimentId === ids.experimentId).map((m) => m.messageId)).size >= envs.length);
      const amqpChain = firstOfEach(amqp.filter((m) => m.headers.experimentId === ids.experimentId), (m) => m.messageId).map((m) => decodeAiravata(m.body));
      assert.deepEqual(amqpChain.map((d) => d.summary), expectedAiravata(ids, steps));
    } finally {
      await publishers.stop();
    }
  });
});
