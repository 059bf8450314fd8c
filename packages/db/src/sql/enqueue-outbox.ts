import { makeEnvelope, Envelope, TopicKey, TOPICS } from '@msched/bus';
import { Db } from './db';

export interface OutboxMessage<T> {
  /** Logical topic; the relay publishes to the installation's prefixed name. */
  topic: TopicKey;
  /** Kafka message key: messages with one key stay in order (we use the experimentId). */
  key: string;
  type: string;
  payload: T;
  /** Schema version of the payload (default 1). */
  version?: number;
}

/**
 * Writes one message into the outbox within the caller's transaction and returns its envelope
 * (fresh id, type, version, time). The relay publishes it after commit; a rollback discards it.
 */
export async function enqueueOutbox<T>(tx: Db, m: OutboxMessage<T>): Promise<Envelope<T>> {
  if (!Object.prototype.hasOwnProperty.call(TOPICS, m.topic)) throw new TypeError(`unknown topic key ${String(m.topic)}`);
  const env = makeEnvelope(m.type, m.payload, { version: m.version });
  await tx.query('INSERT INTO outbox (id, topic, message_key, type, envelope) VALUES ($1, $2, $3, $4, $5)',
    [env.id, m.topic, m.key, m.type, JSON.stringify(env)]);
  return env;
}
