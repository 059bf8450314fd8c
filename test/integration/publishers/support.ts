import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Consumer, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import * as amqp from 'amqplib';
import {
  decodeStruct, enumName, ExperimentState, ExperimentStatusChangeEvent, int64ToNumber, JobState, JobStatusChangeEvent,
  Message, MessageLevel, MessageType, ProcessState, ProcessStatusChangeEvent, TaskOutputChangeEvent, TaskState,
  TaskStatusChangeEvent,
} from '@msched/airavata-thrift';
import { encodeEnvelope, ensureTopics, Envelope, makeEnvelope } from '@msched/bus';
import type { TaskType } from '@msched/state-model';
import { OUTPUTS_EVENT_TYPE, STATUS_EVENT_TYPE, StatusEntity, StatusEvent } from '@msched/model';
import type { PublisherEvent } from '@msched/publishers';

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

export interface DecodedAiravata {
  /** "TYPE routing.key STATE", the routing key rebuilt from the identifiers inside the event. */
  readonly summary: string;
  readonly messageId: string;
  readonly experimentId: string;
  readonly updatedTime: number | undefined;
}

/** Decodes an Airavata messaging body (Message with an inner event) with the generated IDL types. */
export function decodeAiravata(body: Buffer): DecodedAiravata {
  const msg = decodeStruct(Message, body);
  const type = enumName(MessageType, msg.messageType);
  assert.equal(enumName(MessageLevel, msg.messageLevel), 'INFO');
  let key: string[];
  let state: string;
  switch (type) {
    case 'EXPERIMENT': {
      const e = decodeStruct(ExperimentStatusChangeEvent, msg.event);
      key = [e.gatewayId, e.experimentId];
      state = enumName(ExperimentState, e.state);
      break;
    }
    case 'PROCESS': {
      const e = decodeStruct(ProcessStatusChangeEvent, msg.event);
      const p = e.processIdentity;
      key = [p.gatewayId, p.experimentId, p.processId];
      state = enumName(ProcessState, e.state);
      break;
    }
    case 'TASK': {
      const e = decodeStruct(TaskStatusChangeEvent, msg.event);
      const t = e.taskIdentity;
      key = [t.gatewayId, t.experimentId, t.processId, t.taskId];
      state = enumName(TaskState, e.state);
      break;
    }
    case 'JOB': {
      const e = decodeStruct(JobStatusChangeEvent, msg.event);
      const j = e.jobIdentity;
      key = [j.gatewayId, j.experimentId, j.processId, j.taskId, j.jobId];
      state = enumName(JobState, e.state);
      break;
    }
    case 'PROCESSOUTPUT': {
      const e = decodeStruct(TaskOutputChangeEvent, msg.event);
      const t = e.taskIdentity;
      key = [t.gatewayId, t.experimentId, t.processId, t.taskId];
      state = e.output.map((o) => o.name).join(',');
      break;
    }
    default:
      throw new Error(`unexpected message type ${type}`);
  }
  return { summary: `${type} ${key.join('.')} ${state}`, messageId: msg.messageId ?? '', experimentId: key[1], updatedTime: int64ToNumber(msg.updatedTime) };
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

/**
 * Polls `done` until it holds. The deadline only turns a hang into a failure that says what was
 * awaited (and `state()` where it stood); it never makes a test pass.
 */
export async function waitUntil(what: string, done: () => boolean | Promise<boolean>, opts: { timeoutMs?: number; state?: () => unknown } = {}): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 45_000);
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`still waiting for ${what}${opts.state ? `: ${JSON.stringify(opts.state())}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
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

// ---------------------------------------------------------------- reading RabbitMQ

export const AMQP_URL = process.env.MSCHED_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export interface AmqpReceived {
  readonly routingKey: string;
  readonly body: Buffer;
  readonly messageId: string;
  readonly headers: Record<string, string>;
}

/** Fails fast, naming the fix, when RabbitMQ does not answer (as requireStack does for the rest). */
export async function requireRabbitMQ(): Promise<void> {
  try {
    const conn = await amqp.connect(AMQP_URL, { timeout: 3000 });
    await conn.close();
  } catch (e) {
    throw new Error(`RabbitMQ at ${new URL(AMQP_URL).host} does not answer (${(e as Error).message}): start it (service rabbitmq-server start, or rabbitmqctl start_app) or set MSCHED_TEST_AMQP_URL`);
  }
}

/** Declares the exchange (as the publisher does) and durable queues bound to it, one per pattern. */
export async function bindQueues(exchange: string, bindings: Record<string, string>): Promise<void> {
  const conn = await amqp.connect(AMQP_URL);
  try {
    const ch = await conn.createChannel();
    await ch.assertExchange(exchange, 'topic', { durable: true });
    for (const [queue, pattern] of Object.entries(bindings)) {
      await ch.assertQueue(queue, { durable: true });
      await ch.bindQueue(queue, exchange, pattern);
    }
    await ch.close();
  } finally {
    await conn.close();
  }
}

/**
 * Takes messages off a queue until `count` have been read, or until `done(messages)` holds when a
 * function is given. Fails (naming the queue) if that takes longer than `timeoutMs`.
 */
export async function drainQueue(queue: string, count: number | ((got: readonly AmqpReceived[]) => boolean), timeoutMs = 45_000): Promise<AmqpReceived[]> {
  const done = typeof count === 'number' ? (got: readonly AmqpReceived[]) => got.length >= count : count;
  const deadline = Date.now() + timeoutMs;
  const conn = await amqp.connect(AMQP_URL);
  try {
    const ch = await conn.createChannel();
    const out: AmqpReceived[] = [];
    while (!done(out)) {
      const m = await ch.get(queue, { noAck: true });
      if (!m) {
        if (Date.now() > deadline) throw new Error(`queue ${queue}: only ${out.length} messages after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      out.push({
        routingKey: m.fields.routingKey,
        body: m.content,
        messageId: String(m.properties.messageId),
        headers: Object.fromEntries(Object.entries(m.properties.headers ?? {}).map(([k, v]) => [k, String(v)])),
      });
    }
    await ch.close();
    return out;
  } finally {
    await conn.close();
  }
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

export async function queueDepth(queue: string): Promise<number> {
  const conn = await amqp.connect(AMQP_URL);
  try {
    const ch = await conn.createChannel();
    const q = await ch.checkQueue(queue);
    await ch.close();
    return q.messageCount;
  } finally {
    await conn.close();
  }
}

export async function deleteAmqp(exchange: string, queues: readonly string[]): Promise<void> {
  const conn = await amqp.connect(AMQP_URL);
  try {
    const ch = await conn.createChannel();
    for (const q of queues) await ch.deleteQueue(q);
    await ch.deleteExchange(exchange);
    await ch.close();
  } finally {
    await conn.close();
  }
}
