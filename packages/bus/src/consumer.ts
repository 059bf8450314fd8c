import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from '@msched/logging';
import { decodeEnvelope, Envelope, EnvelopeError } from './envelope';

export interface MessageMeta {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
}

export interface EnvelopeConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: readonly string[];
  logger: Logger;
  /**
   * Handles one envelope. Throwing means "not done": the offset is not committed and the message is
   * delivered again after a backoff, so a database outage delays work but loses none. Handlers must
   * be idempotent (record the envelope id in processed_messages in their own transaction).
   */
  handle: (env: Envelope, meta: MessageMeta) => Promise<void>;
  /** A message that is not an envelope can never succeed: it is handed here and skipped. */
  onPoison?: (message: KafkaMessage, meta: MessageMeta, reason: string) => Promise<void>;
  fromBeginning?: boolean;
  /** How long a crashed member holds its partitions (default 30 s; the broker's minimum is 6 s). */
  sessionTimeoutMs?: number;
  /**
   * Partitions handled at once by this member (default 1). Order is kept within a partition (one
   * key's messages never overlap), so handlers must only be safe against other keys' messages.
   */
  partitionsConcurrently?: number;
}

/**
 * A consumer group member that decodes our envelopes, processes one partition's messages in order,
 * and commits an offset only after its handler succeeded.
 */
export async function startEnvelopeConsumer(opts: EnvelopeConsumerOptions): Promise<Consumer> {
  const consumer = opts.kafka.consumer({
    groupId: opts.groupId,
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10_000 },
    // Rebalances must not wait long behind a slow stage.
    sessionTimeout: opts.sessionTimeoutMs ?? 30_000,
    heartbeatInterval: Math.min(3_000, Math.floor((opts.sessionTimeoutMs ?? 30_000) / 3)),
  });
  try {
    await consumer.connect();
    for (const topic of opts.topics) await consumer.subscribe({ topic, fromBeginning: opts.fromBeginning ?? true });
  } catch (e) {
    // Not started: leave no half-connected member behind (the caller may try again).
    await consumer.disconnect().catch(() => undefined);
    throw e;
  }
  await consumer.run({
    autoCommit: true,
    partitionsConsumedConcurrently: opts.partitionsConcurrently ?? 1,
    eachMessage: async ({ topic, partition, message }) => {
      const meta: MessageMeta = { topic, partition, offset: message.offset, key: message.key ? message.key.toString() : null };
      let env: Envelope;
      try {
        env = decodeEnvelope(message.value);
      } catch (e) {
        if (!(e instanceof EnvelopeError)) throw e;
        opts.logger.error(`skipping a message that is not an envelope: ${e.message}`, meta);
        await opts.onPoison?.(message, meta, e.message);
        return;
      }
      try {
        await opts.handle(env, meta);
      } catch (e) {
        opts.logger.warn(`handling ${env.type} ${env.id} failed, will be delivered again: ${(e as Error).message}`, meta);
        throw e;
      }
    },
  });
  return consumer;
}
