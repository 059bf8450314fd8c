import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createKafka, topicName } from '@msched/bus';
import { createLogger } from '@msched/logging';
import { Publishers, startPublishers } from '@msched/publishers';
import { requireStack, testConfig } from '../../helpers/stack';
import {
  AMQP_URL, requireRabbitMQ, bindQueues, chainEnvelopes, collectTopics, createTopics, decodeAiravata, deleteAmqp, drainQueue,
  expectedAiravata, experimentIds, firstOfEach, mpiChain, publishersSuite, Received, recorder, relay,
} from './support';
import { eventually } from '../../helpers/eventually';

const run = promisify(execFile);

/** RabbitMQ runs as a system service on this machine and only these tests use it; stop_app keeps its disk. */
async function rabbit(cmd: 'stop_app' | 'start_app' | 'await_startup'): Promise<void> {
  await run('rabbitmqctl', [cmd], { timeout: 60_000 });
}

describe('publishers: RabbitMQ stopped while a job runs (integration)', () => {
  const { exchange, queue, cfg, events, messaging, kafka, logger } = publishersSuite('pubamqp');
  const ids = experimentIds('mpi-amqp-outage');
  const steps = mpiChain('completed');
  const envs = chainEnvelopes(ids, steps);
  // "While a job runs": RabbitMQ goes away right after the job became ACTIVE.
  const cut = steps.findIndex((s) => s.entity === 'job' && s.state === 'ACTIVE') + 1;
  const rec = recorder();
  let publishers: Publishers | undefined;
  let collected: { messages: Received[]; stop(): Promise<void> } | undefined;

  before(async () => {
    await requireStack('kafka');
    await requireRabbitMQ();
    await rabbit('await_startup');
    await createTopics(kafka, [events, messaging]);
    await bindQueues(exchange, { [queue]: '#' });
    collected = await collectTopics(kafka, [messaging]);
    publishers = await startPublishers(cfg, logger, { observer: rec.observer, retry: { initialMs: 100, maxMs: 1000, windowMs: 10_000 } });
  });

  after(async function () {
    this.timeout(90_000);
    await rabbit('start_app').catch(() => undefined);
    await rabbit('await_startup').catch(() => undefined);
    await publishers?.stop();
    await collected?.stop();
    await deleteAmqp(exchange, [queue]).catch((e: Error) => console.warn(`could not delete the test exchange and queues: ${e.message}`));
  });

  it('delivers every status in order once RabbitMQ is back, and the Kafka channel is not held back meanwhile', async function () {
    this.timeout(180_000);
    await relay(kafka, events, envs.slice(0, cut));
    await eventually('the first half on RabbitMQ', () => envs.slice(0, cut).every((e) => rec.published('airavata-amqp').has(e.id)));

    await rabbit('stop_app');
    await relay(kafka, events, envs.slice(cut));
    // The channel meets the outage and keeps retrying the same status...
    await eventually('the AMQP channel to meet the outage', () => rec.retried('airavata-amqp'));
    // ...while the Kafka channel, with its own consumer group, delivers the whole chain.
    const onKafka = () => collected!.messages.filter((m) => m.headers.experimentId === ids.experimentId);
    await eventually('the whole chain on Kafka during the RabbitMQ outage', () => onKafka().length >= envs.length);
    assert.deepEqual(firstOfEach(onKafka().map((m) => decodeAiravata(m.value)), (d) => d.messageId).map((d) => d.summary), expectedAiravata(ids, steps));
    assert.ok(!envs.slice(cut).some((e) => rec.published('airavata-amqp').has(e.id)), 'nothing after the cut reached RabbitMQ while it was stopped');

    await rabbit('start_app');
    await rabbit('await_startup');
    const got = await drainQueue(queue, (ms) => new Set(ms.map((m) => m.messageId)).size >= envs.length, 90_000);
    // Redeliveries are allowed (same id); the first of each id must be the chain, in order.
    const decoded = firstOfEach(got, (m) => m.messageId).map((m) => decodeAiravata(m.body));
    assert.deepEqual(decoded.map((d) => d.summary), expectedAiravata(ids, steps));
    assert.deepEqual(decoded.map((d) => d.messageId), envs.map((e) => e.id));
    assert.ok(got.every((m) => envs.some((e) => e.id === m.messageId)));
  });
});
