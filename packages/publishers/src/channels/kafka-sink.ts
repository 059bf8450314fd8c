import type { Producer } from 'kafkajs';
import { createKafka, ensureTopics, type KafkaSecuritySettings } from '@msched/bus';
import type { Logger } from '@msched/logging';
import { ChannelUnavailableError } from '../errors';
import type { OutboundMessage } from '../encode/outbound';
import { experimentPartitioner } from './partitioner';
import type { Sink } from './sink';

export interface KafkaSinkOptions {
  /** Channel name, for errors and logs. */
  readonly channel: string;
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly topic: string;
  /** Create the topic when missing (partitions and replication as for our own topics). */
  readonly createTopic?: { partitions: number; replicationFactor: number };
  readonly logger: Logger;
  /** TLS/SASL towards these brokers (our own cluster's settings when the channel uses it). */
  readonly security?: KafkaSecuritySettings;
}

/**
 * Sends to one Kafka topic with acks=all through an idempotent producer (no duplicates from the
 * producer's own retries). After any failure the producer is dropped and a fresh one connects on
 * the next attempt: a restarted broker may have forgotten the old producer's sequence numbers, and
 * a fresh producer id is the simple way out. Duplicates across attempts carry the same message id.
 */
export class KafkaSink implements Sink {
  readonly target: string;
  private producer: Producer | undefined;
  private topicChecked = false;

  constructor(private readonly opts: KafkaSinkOptions) {
    this.target = `kafka ${opts.brokers.join(',')} topic ${opts.topic}`;
  }

  async send(messages: readonly OutboundMessage[]): Promise<void> {
    if (messages.length === 0) return;
    try {
      const producer = await this.connected();
      await producer.send({
        topic: this.opts.topic,
        acks: -1,
        messages: messages.map((m) => ({ key: m.key, value: m.value, headers: { ...m.headers }, timestamp: String(m.time) })),
      });
    } catch (e) {
      await this.drop();
      throw new ChannelUnavailableError(this.opts.channel, e);
    }
  }

  async close(): Promise<void> {
    await this.drop();
  }

  private async connected(): Promise<Producer> {
    if (this.producer) return this.producer;
    // Few client-level retries: the channel loop retries the same message itself and logs it.
    const kafka = createKafka({ ...this.opts.security, brokers: this.opts.brokers, clientId: this.opts.clientId, partitions: 1, replicationFactor: 1 }, quietProducerLogger(this.opts.logger), { retries: 2, connectionTimeout: 3000 });
    if (this.opts.createTopic && !this.topicChecked) {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const created = await ensureTopics(admin, [this.opts.topic], this.opts.createTopic);
        if (created.length) this.opts.logger.info(`created topic ${this.opts.topic}`, { channel: this.opts.channel });
        this.topicChecked = true;
      } catch (e) {
        // Airavata's cluster may forbid creating topics; sending will say whether the topic is there.
        this.opts.logger.warn(`could not check or create topic ${this.opts.topic}: ${(e as Error).message}`, { channel: this.opts.channel });
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    }
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: experimentPartitioner,
      retry: { retries: 3, initialRetryTime: 100 },
    });
    try {
      await producer.connect();
    } catch (e) {
      await producer.disconnect().catch(() => undefined);
      throw e;
    }
    this.producer = producer;
    return producer;
  }

  private async drop(): Promise<void> {
    const p = this.producer;
    this.producer = undefined;
    await p?.disconnect().catch(() => undefined);
  }
}

/**
 * The producer's own log lines, tuned for a channel that retries by itself:
 * - kafkajs warns at every connect that an idempotent producer with limited retries "may invalidate
 *   EoS guarantees". We promise at-least-once with stable message ids, not exactly-once, and limit
 *   retries on purpose, so that line is dropped.
 * - While the broker is away kafkajs warns about every refused connection; the channel loop already
 *   says when an outage starts, how it goes and when it ends, so those become debug lines.
 */
function quietProducerLogger(logger: Logger): Logger {
  return new Proxy(logger, {
    get(target, prop, receiver) {
      if (prop !== 'log') return Reflect.get(target, prop, receiver);
      return (level: string, message: unknown, ...rest: unknown[]) => {
        const text = typeof message === 'string' ? message : '';
        if (text.includes('may invalidate EoS guarantees')) return target;
        const connection = /^kafkajs (Connection|BrokerPool|Cluster): /.test(text);
        return (target.log as (...a: unknown[]) => Logger)(connection ? 'debug' : level, message, ...rest);
      };
    },
  });
}
