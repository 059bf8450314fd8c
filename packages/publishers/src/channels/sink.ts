import type { OutboundMessage } from '../encode/outbound';

/**
 * Where a channel's messages go. `send` resolves only once the broker confirmed every message
 * (Kafka acks=all, AMQP publisher confirms), in the given order; it throws ChannelUnavailableError
 * otherwise and the caller sends the same messages again. A sink reconnects by itself.
 */
export interface Sink {
  /** Where the messages go, for logs (never contains credentials). */
  readonly target: string;
  send(messages: readonly OutboundMessage[]): Promise<void>;
  close(): Promise<void>;
}
