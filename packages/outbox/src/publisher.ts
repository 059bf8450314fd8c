import { IHeaders, Kafka, Partitioners, Producer } from 'kafkajs';

export interface OutgoingMessage {
  topic: string;
  key: string;
  value: string;
  headers?: IHeaders;
}

export class PublishError extends Error {
  /** Kafka being unreachable or refusing for now: the same rows will be tried again. */
  readonly retriable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PublishError';
  }
}

/** Where a relay sends its batches; the Kafka one below, or a test double. */
export interface Publisher {
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Publishes with kafkajs' idempotent producer (acks=all, one request in flight, so a retried
 * request cannot reorder or duplicate within the producer's session). After any failure the
 * producer is dropped and the next batch starts a fresh one: a broker that came back is
 * rediscovered from the bootstrap list instead of from stale metadata.
 */
export class KafkaPublisher implements Publisher {
  private producer?: Producer;

  constructor(private readonly kafka: Kafka, private readonly timeoutMs = 10000) {}

  private async connected(): Promise<Producer> {
    if (!this.producer) {
      // The default (murmur2, Java-compatible) partitioner, named so kafkajs does not warn about it.
      const p = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
      this.producer = p;
      try {
        await p.connect();
      } catch (e) {
        this.producer = undefined;
        await p.disconnect().catch(() => undefined);
        throw e;
      }
    }
    return this.producer;
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    // One entry per topic, messages in their original order (per key order follows).
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
    try {
      const producer = await this.connected();
      await producer.sendBatch({
        acks: -1,
        timeout: this.timeoutMs,
        topicMessages: [...byTopic].map(([topic, ms]) => ({ topic, messages: ms.map((m) => ({ key: m.key, value: m.value, headers: m.headers })) })),
      });
    } catch (e) {
      await this.close();
      throw new PublishError(`publishing ${messages.length} message(s) to Kafka failed: ${(e as Error).message}`, { cause: e });
    }
  }

  async close(): Promise<void> {
    const p = this.producer;
    this.producer = undefined;
    await p?.disconnect().catch(() => undefined);
  }
}
