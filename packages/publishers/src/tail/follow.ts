import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { decodeEnvelope, EnvelopeError } from '@msched/bus';
import { formatEventLine, isOfExperiment } from './format';

export interface FollowOptions {
  readonly kafka: Kafka;
  readonly topic: string;
  /** Consumer group name prefix; a fresh group per run, never committed. */
  readonly groupPrefix: string;
  readonly experimentId?: string;
  readonly json?: boolean;
  readonly fromBeginning?: boolean;
  /** Receives each output line (without newline). */
  readonly write: (line: string) => void;
}

export interface Follower {
  stop(): Promise<void>;
}

/**
 * Follows the events topic. "From now" means the end offsets read before the consumer starts, so an
 * event published once `followEvents` resolved is always shown.
 */
export async function followEvents(opts: FollowOptions): Promise<Follower> {
  const admin = opts.kafka.admin();
  await admin.connect();
  let start: Array<{ partition: number; offset: string }>;
  try {
    start = (await admin.fetchTopicOffsets(opts.topic)).map((o) => ({ partition: o.partition, offset: o.high }));
  } finally {
    await admin.disconnect();
  }
  // Short fetch waits: a person pressing Ctrl-C should not wait for a 5 s long poll to end.
  const consumer: Consumer = opts.kafka.consumer({ groupId: `${opts.groupPrefix}${randomUUID()}`, maxWaitTimeInMs: 500 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: opts.topic, fromBeginning: opts.fromBeginning ?? false });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        const key = message.key ? message.key.toString() : null;
        let env;
        try {
          env = decodeEnvelope(message.value);
        } catch (e) {
          if (!(e instanceof EnvelopeError)) throw e;
          if (!opts.experimentId) opts.write(`(offset ${message.offset}: not an envelope: ${e.message})`);
          return;
        }
        if (opts.experimentId && !isOfExperiment(env, key, opts.experimentId)) return;
        opts.write(opts.json ? JSON.stringify(env) : formatEventLine(env));
      },
    });
    if (!opts.fromBeginning) for (const s of start) consumer.seek({ topic: opts.topic, partition: s.partition, offset: s.offset });
  } catch (e) {
    await consumer.disconnect().catch(() => undefined);
    throw e;
  }
  return { stop: () => consumer.disconnect() };
}
