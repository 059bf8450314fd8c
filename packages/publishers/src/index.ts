/**
 * Status back to Airavata and to everyone else (docs/events.md).
 *
 * Glossary: an *event* is one of our envelopes on `<prefix>events` (a StatusEvent or OutputsEvent);
 * a *channel* is one way out (Airavata messaging on Kafka or RabbitMQ, the job-monitor topics); an
 * *encoder* turns an event into a channel's messages (pure); a *sink* delivers them and waits for
 * the broker's confirmation; a *fan-out* is the consumer group that drives one channel.
 */
export * from './errors';
export * from './encode/outbound';
export * from './encode/event';
export * from './encode/routing-key';
export * from './encode/airavata-message';
export * from './encode/job-monitor';
export * from './encode/monitoring-data';
export * from './channels/sink';
export * from './channels/partitioner';
export * from './channels/kafka-sink';
export * from './channels/amqp-sink';
export * from './retry';
export * from './fanout';
export * from './plan';
export * from './start';
export * from './tail/args';
export * from './tail/format';
export * from './tail/follow';
export * from './tail/command';
