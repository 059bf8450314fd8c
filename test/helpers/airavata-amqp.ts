import assert from 'node:assert/strict';
import * as amqp from 'amqplib';
import {
  decodeStruct, enumName, ExperimentState, ExperimentStatusChangeEvent, int64ToNumber, JobState, JobStatusChangeEvent,
  Message, MessageLevel, MessageType, ProcessState, ProcessStatusChangeEvent, TaskOutputChangeEvent, TaskState,
  TaskStatusChangeEvent,
} from '@msched/airavata-thrift';

/** Reading Airavata's RabbitMQ channel back: queues bound to the exchange, and the messages decoded with the generated IDL types. */

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
