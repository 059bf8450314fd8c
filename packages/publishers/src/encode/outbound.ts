/**
 * One message ready for a channel: the bytes, where they go, and the stable id consumers use to drop
 * redeliveries. Encoders make these from our status events; sinks (Kafka, RabbitMQ) only move them.
 */
export interface OutboundMessage {
  /** Stable id derived from the envelope id: a redelivered event gives the same id again. */
  readonly id: string;
  /** Kafka message key / AMQP routing key. */
  readonly key: string;
  readonly value: Buffer;
  /** One experiment's messages share a Kafka partition whatever their key, so they stay in order. */
  readonly experimentId: string;
  /** What the message is, for AMQP's `type` property (Airavata MessageType name, or the format name). */
  readonly type: string;
  readonly contentType: string;
  /** When the change happened (epoch ms). */
  readonly time: number;
  /** Metadata outside the body: Kafka headers / AMQP headers (ids, state, failure reason). */
  readonly headers: Readonly<Record<string, string>>;
}

/** Header carrying the stable message id on Kafka (AMQP uses its messageId property as well). */
export const MESSAGE_ID_HEADER = 'messageId';
/** Header the Kafka partitioner reads to keep one experiment on one partition. */
export const EXPERIMENT_HEADER = 'experimentId';
