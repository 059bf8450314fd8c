import { randomUUID } from 'node:crypto';
import type { Consumer, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { createKafka, encodeEnvelope, ensureTopics, Envelope, makeEnvelope, topicName } from '@msched/bus';
import { createLogger } from '@msched/logging';
import { AMQP_URL } from '../../helpers/airavata-amqp';
import { testConfig } from '../../helpers/stack';
import type { TaskType } from '@msched/state-model';
import { OUTPUTS_EVENT_TYPE, STATUS_EVENT_TYPE, StatusEntity, StatusEvent } from '@msched/model';
import type { PublisherEvent } from '@msched/publishers';

export {
  AMQP_URL, AmqpReceived, bindQueues, decodeAiravata, DecodedAiravata, deleteAmqp, drainQueue, queueDepth, requireRabbitMQ,
} from '../../helpers/airavata-amqp';

/**
 * Synthetic status chains of one MPI experiment, written to the events topic the way the outbox
 * relay writes them (key = experimentId), and decoders that read Airavata's channels back with the
 * types generated from our IDL.
 */

export type Outcome = 'completed' | 'failed' | 'canceled';

export interface Step {
  readonly entity: StatusEntity | 'outputs';
  readonly state: string;
  readonly task?: TaskType;
  readonly reason?: string;
}

export interface ExperimentIds {
  readonly gatewayId: string;
  readonly experimentId: string;
  readonly processId: string;
  readonly jobId: string;
  readonly jobName: string;
}

export function experimentIds(tag: string): ExperimentIds {
  const experimentId = `${tag}-${randomUUID().slice(0, 8)}`;
  return { gatewayId: 'seagrid', experimentId, processId: `PROC-${experimentId}`, jobId: `JOB-${experimentId}-1`, jobName: `msched-${experimentId}` };
}

export function taskIdOf(ids: ExperimentIds, task: TaskType): string {
  return `TASK-${task}-${ids.experimentId}`;
}

const FAILURE = 'rank 1 exited with code 3 on agent-2';

/** The chain the pipeline writes for one MPI experiment (docs/state-model.md), up to its outcome. */
export function mpiChain(outcome: Outcome): Step[] {
  const start: Step[] = [
    { entity: 'experiment', state: 'CREATED' },
    { entity: 'process', state: 'CREATED' },
    { entity: 'experiment', state: 'VALIDATED' },
    { entity: 'process', state: 'VALIDATED' },
    { entity: 'process', state: 'STARTED' },
    { entity: 'experiment', state: 'EXECUTING' },
    { entity: 'task', task: 'ENV_SETUP', state: 'CREATED' },
    { entity: 'task', task: 'ENV_SETUP', state: 'EXECUTING' },
    { entity: 'process', state: 'PRE_PROCESSING' },
    { entity: 'process', state: 'CONFIGURING_WORKSPACE' },
    { entity: 'task', task: 'ENV_SETUP', state: 'COMPLETED' },
    { entity: 'task', task: 'DATA_STAGING', state: 'CREATED' },
    { entity: 'process', state: 'INPUT_DATA_STAGING' },
    { entity: 'task', task: 'DATA_STAGING', state: 'COMPLETED' },
    { entity: 'task', task: 'JOB_SUBMISSION', state: 'CREATED' },
    { entity: 'process', state: 'EXECUTING' },
    { entity: 'task', task: 'JOB_SUBMISSION', state: 'EXECUTING' },
    { entity: 'job', task: 'JOB_SUBMISSION', state: 'SUBMITTED' },
    { entity: 'process', state: 'MONITORING' },
    { entity: 'job', task: 'JOB_SUBMISSION', state: 'ACTIVE' },
  ];
  if (outcome === 'completed') {
    return [...start,
      { entity: 'job', task: 'JOB_SUBMISSION', state: 'COMPLETE' },
      { entity: 'task', task: 'JOB_SUBMISSION', state: 'COMPLETED' },
      { entity: 'task', task: 'OUTPUT_FETCHING', state: 'CREATED' },
      { entity: 'process', state: 'OUTPUT_DATA_STAGING' },
      { entity: 'outputs', task: 'OUTPUT_FETCHING', state: 'stdout,energy' },
      { entity: 'task', task: 'OUTPUT_FETCHING', state: 'COMPLETED' },
      { entity: 'process', state: 'POST_PROCESSING' },
      { entity: 'process', state: 'COMPLETED' },
      { entity: 'experiment', state: 'COMPLETED' },
    ];
  }
  if (outcome === 'failed') {
    return [...start,
      { entity: 'job', task: 'JOB_SUBMISSION', state: 'FAILED', reason: FAILURE },
      { entity: 'task', task: 'JOB_SUBMISSION', state: 'FAILED', reason: FAILURE },
      { entity: 'process', state: 'FAILED', reason: FAILURE },
      { entity: 'experiment', state: 'FAILED', reason: FAILURE },
    ];
  }
  return [...start,
    { entity: 'experiment', state: 'CANCELING', reason: 'terminated by the gateway' },
    { entity: 'process', state: 'CANCELLING', reason: 'terminated by the gateway' },
    { entity: 'job', task: 'JOB_SUBMISSION', state: 'CANCELED', reason: 'terminated by the gateway' },
    { entity: 'task', task: 'JOB_SUBMISSION', state: 'CANCELED', reason: 'terminated by the gateway' },
    { entity: 'process', state: 'CANCELED', reason: 'terminated by the gateway' },
    { entity: 'experiment', state: 'CANCELED', reason: 'terminated by the gateway' },
  ];
}

/** The envelopes the workers would write for these steps, one second apart. */
export function chainEnvelopes(ids: ExperimentIds, steps: readonly Step[], t0 = Date.UTC(2026, 10, 22, 10, 0, 0)): Envelope[] {
  return steps.map((s, i) => {
    const time = new Date(t0 + i * 1000).toISOString();
    const taskId = s.task ? taskIdOf(ids, s.task) : undefined;
    if (s.entity === 'outputs') {
      return makeEnvelope(OUTPUTS_EVENT_TYPE, {
        gatewayId: ids.gatewayId, experimentId: ids.experimentId, processId: ids.processId, taskId: taskId!, time,
        outputs: s.state.split(',').map((name) => ({ name, value: `file:///outputs/${ids.experimentId}/${name}`, type: name === 'stdout' ? 'STDOUT' : 'URI' })),
      });
    }
    const ev: StatusEvent = {
      entity: s.entity, state: s.state, gatewayId: ids.gatewayId, experimentId: ids.experimentId, source: 'provisioner', time,
      ...(s.entity !== 'experiment' ? { processId: ids.processId } : {}),
      ...(s.entity === 'task' || s.entity === 'job' ? { taskId } : {}),
      ...(s.entity === 'task' ? { taskType: s.task } : {}),
      ...(s.entity === 'job' ? { jobId: ids.jobId, jobName: ids.jobName } : {}),
      ...(s.reason ? { reason: s.reason } : {}),
    };
    return makeEnvelope(STATUS_EVENT_TYPE, ev);
  });
}

/** Writes envelopes to the events topic as the outbox relay does: key = experimentId, in order. */
export async function relay(kafka: Kafka, topic: string, envs: readonly Envelope[]): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({
      topic, acks: -1,
      messages: envs.map((e) => ({ key: (e.payload as { experimentId: string }).experimentId, value: encodeEnvelope(e) })),
    });
  } finally {
    await producer.disconnect();
  }
}

export async function createTopics(kafka: Kafka, names: readonly string[], partitions = 2): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, names, { partitions, replicationFactor: 1 });
  } finally {
    await admin.disconnect();
  }
}

// ---------------------------------------------------------------- expected Airavata messages

/** "TYPE routing.key STATE" per step: what Airavata must see, computed without the publisher's code. */
export function expectedAiravata(ids: ExperimentIds, steps: readonly Step[]): string[] {
  return steps.map((s) => {
    const base = [ids.gatewayId, ids.experimentId];
    const task = s.task ? taskIdOf(ids, s.task) : '';
    switch (s.entity) {
      case 'experiment': return `EXPERIMENT ${base.join('.')} ${s.state}`;
      case 'process': return `PROCESS ${[...base, ids.processId].join('.')} ${s.state}`;
      case 'task': return `TASK ${[...base, ids.processId, task].join('.')} ${s.state}`;
      case 'job': return `JOB ${[...base, ids.processId, task, ids.jobId].join('.')} ${s.state}`;
      case 'outputs': return `PROCESSOUTPUT ${[...base, ids.processId, task].join('.')} ${s.state}`;
    }
  });
}

// ---------------------------------------------------------------- reading Kafka

export interface Received {
  readonly topic: string;
  readonly partition: number;
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Record<string, string>;
}

function headersOf(h: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k, String(Array.isArray(v) ? v[0] : v)]));
}

/** Collects every message of the topics from the beginning, in partition order, until stopped. */
export async function collectTopics(kafka: Kafka, topics: readonly string[]): Promise<{ messages: Received[]; stop(): Promise<void> }> {
  const messages: Received[] = [];
  const consumer: Consumer = kafka.consumer({ groupId: `test-collect-${randomUUID()}` });
  await consumer.connect();
  for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }: { topic: string; partition: number; message: KafkaMessage }) => {
      messages.push({ topic, partition, key: message.key?.toString() ?? '', value: message.value ?? Buffer.alloc(0), headers: headersOf(message.headers) });
    },
  });
  return { messages, stop: () => consumer.disconnect() };
}

/** Keeps the first message of each id, in arrival order: what a consumer dropping redeliveries sees. */
export function firstOfEach<T>(items: readonly T[], idOf: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => {
    const id = idOf(t);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Records what the publishers report, so a test can wait until a channel met the outage. */
export function recorder(): { events: PublisherEvent[]; observer: (e: PublisherEvent) => void; published(channel: string): Set<string>; retried(channel: string): boolean } {
  const events: PublisherEvent[] = [];
  return {
    events,
    observer: (e) => { events.push(e); },
    published: (channel) => new Set(events.filter((e) => e.channel === channel && e.kind === 'published').map((e) => e.envelopeId)),
    retried: (channel) => events.some((e) => e.channel === channel && e.kind === 'retrying'),
  };
}

/**
 * One suite's own Kafka topics (prefix `<run prefix><name>.`) and RabbitMQ exchange and queue, with
 * both Airavata channels on; `extra` adds settings.
 */
export function publishersSuite(name: string, extra: Record<string, string> = {}) {
  const prefix = `${testConfig().kafka.topicPrefix}${name}.`;
  const exchange = `${prefix}status_exchange`;
  const cfg = testConfig({
    MSCHED_KAFKA_TOPIC_PREFIX: prefix,
    MSCHED_PUBLISHERS: 'airavata-kafka,airavata-amqp',
    MSCHED_PUBLISHERS_AMQP_URL: AMQP_URL,
    MSCHED_PUBLISHERS_AMQP_EXCHANGE: exchange,
    ...extra,
  });
  return {
    prefix, exchange, cfg,
    queue: `${prefix}all`,
    events: topicName(prefix, 'events'),
    messaging: topicName(prefix, 'airavataMessaging'),
    kafka: createKafka(cfg.kafka),
    logger: createLogger({ service: 'test', silent: process.env.MSCHED_TEST_LOGS !== '1' }),
  };
}
