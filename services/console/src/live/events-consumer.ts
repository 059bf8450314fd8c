import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Consumer, Kafka } from 'kafkajs';
import { decodeEnvelope, topicName } from '@msched/bus';
import type { Logger } from '@msched/logging';
import { STATUS_EVENT_TYPE, type StatusEvent } from '@msched/model';
import { EventHub, liveEventOf } from './event-hub';

/**
 * Reads the status event topic into the hub. Each console process is its own consumer group, so
 * every replica sees every event; it starts at the newest offset (pages load the current state from
 * the database, events only say when to load again). Forwarding twice is harmless: the browser just
 * refreshes once more, so nothing needs recording and no offset matters.
 */
export async function consumeStatusEvents(o: { kafka: Kafka; topicPrefix: string; hub: EventHub; logger: Logger; joinTimeoutMs?: number }): Promise<Consumer> {
  const consumer = o.kafka.consumer({
    groupId: `msched-console-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    sessionTimeout: 10_000, heartbeatInterval: 3_000,
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10_000 },
  });
  // Kafka assigns the partitions a moment after run(); events before that are not seen, so start-up
  // waits for the assignment (bounded: a slow broker delays live updates, not the console).
  const joined = new Promise<void>((r) => consumer.on(consumer.events.GROUP_JOIN, () => r()));
  await consumer.connect();
  await consumer.subscribe({ topic: topicName(o.topicPrefix, 'events'), fromBeginning: false });
  await consumer.run({
    autoCommit: true,
    eachMessage: async ({ message }) => {
      try {
        const env = decodeEnvelope(message.value);
        if (env.type !== STATUS_EVENT_TYPE) return;
        const e = liveEventOf(env.payload as Partial<StatusEvent>);
        if (e) o.hub.publish(e);
      } catch (e) {
        o.logger.debug(`skipping an event the console cannot read: ${(e as Error).message}`);
      }
    },
  });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([joined, new Promise<void>((r) => { timer = setTimeout(() => { o.logger.warn('the console has no events partitions yet: live updates start when Kafka assigns them'); r(); }, o.joinTimeoutMs ?? 30_000); })]);
  clearTimeout(timer);
  return consumer;
}
