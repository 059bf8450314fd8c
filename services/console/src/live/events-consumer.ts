import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Consumer, Kafka } from 'kafkajs';
import { decodeEnvelope, topicName } from '@msched/bus';
import type { Logger } from '@msched/logging';
import { STATUS_EVENT_TYPE, type StatusEvent } from '@msched/model';
import { backoffDelay } from '@msched/retry';
import { EventHub, liveEventOf } from './event-hub';

export interface StatusEventsOptions {
  kafka: Kafka;
  topicPrefix: string;
  hub: EventHub;
  logger: Logger;
  /** How long start-up waits for the partitions before going on without them. */
  joinTimeoutMs?: number;
}

/**
 * Reads the status event topic into the hub. Each console process is its own consumer group, so
 * every replica sees every event; it starts at the newest offset (pages load the current state from
 * the database, events only say when to load again). Forwarding twice is harmless: the browser just
 * refreshes once more, so nothing needs recording and no offset matters.
 */
async function consumeOnce(o: StatusEventsOptions): Promise<Consumer> {
  const consumer = o.kafka.consumer({
    groupId: `msched-console-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    sessionTimeout: 10_000, heartbeatInterval: 3_000,
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10_000 },
  });
  // Kafka assigns the partitions a moment after run(); events before that are not seen, so start-up
  // waits for the assignment (bounded: a slow broker delays live updates, not the console).
  const joined = new Promise<void>((r) => consumer.on(consumer.events.GROUP_JOIN, () => { o.hub.setAvailable(true); r(); }));
  consumer.on(consumer.events.CRASH, (e) => {
    o.hub.setAvailable(false);
    o.logger.warn(`the events consumer crashed (${e.payload.error.message}); pages poll until it is back`);
  });
  try {
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
  } catch (e) {
    await consumer.disconnect().catch(() => undefined);
    throw e;
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([joined, new Promise<void>((r) => { timer = setTimeout(() => { o.logger.warn('the console has no events partitions yet: live updates start when Kafka assigns them'); r(); }, o.joinTimeoutMs ?? 30_000); })]);
  clearTimeout(timer);
  return consumer;
}

/**
 * Live updates that never keep the console from serving: when Kafka cannot be reached the console
 * starts anyway (an operator needs it most during an outage), pages poll, and the consumer is
 * tried again with backoff until events flow.
 */
export async function startStatusEvents(o: StatusEventsOptions): Promise<{ stop(): Promise<void> }> {
  let consumer: Consumer | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const attempt = async (n: number): Promise<void> => {
    try {
      consumer = await consumeOnce(o);
      if (stopped) await consumer.disconnect().catch(() => undefined);
    } catch (e) {
      o.hub.setAvailable(false);
      if (stopped) return;
      const delay = backoffDelay(n, { initialMs: 1000, maxMs: 30_000, multiplier: 2, jitter: 0.2 });
      o.logger.warn(`no live events (${(e as Error).message}); pages poll; trying Kafka again in ${Math.round(delay / 1000)} s`);
      retry = setTimeout(() => void attempt(n + 1), delay);
      retry.unref();
    }
  };
  await attempt(0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await consumer?.disconnect().catch(() => undefined);
    },
  };
}
