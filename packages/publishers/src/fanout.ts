import type { Consumer, Kafka } from 'kafkajs';
import { Envelope, startEnvelopeConsumer } from '@msched/bus';
import { forJob, Logger } from '@msched/logging';
import type { Sink } from './channels/sink';
import { PublishedEvent, readPublishedEvent } from './encode/event';
import type { OutboundMessage } from './encode/outbound';
import { ChannelUnavailableError, EncodeError, PublisherStoppedError } from './errors';
import { DEFAULT_RETRY, retryDelay, RetryPolicy, sleep } from './retry';

/** What a channel did with one event, for metrics and for tests that wait on an outage. */
export type PublisherEvent =
  | { readonly kind: 'published'; readonly channel: string; readonly envelopeId: string; readonly messageIds: readonly string[]; readonly attempts: number }
  | { readonly kind: 'retrying'; readonly channel: string; readonly envelopeId: string; readonly attempt: number; readonly error: string }
  | { readonly kind: 'skipped'; readonly channel: string; readonly envelopeId: string; readonly reason: string };

export type PublisherObserver = (e: PublisherEvent) => void;

export interface FanoutOptions {
  /** Channel name (also part of the consumer group id). */
  readonly channel: string;
  /** Kafka holding the events topic (the source). */
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly eventsTopic: string;
  /** Turns one event into this channel's messages ([] when the channel has nothing to say about it). */
  readonly encode: (e: PublishedEvent) => OutboundMessage[];
  readonly sink: Sink;
  readonly logger: Logger;
  readonly retry?: RetryPolicy;
  readonly observer?: PublisherObserver;
}

export interface Fanout {
  readonly channel: string;
  stop(): Promise<void>;
}

/**
 * One channel: a consumer group of its own on the events topic, publishing each event to the sink
 * and committing its offset only after the broker confirmed. While the broker is away the same
 * message is retried (never skipped), so the channel's order is the topic's order and nothing
 * committed is lost; an outage of one channel never holds back another.
 */
export async function startFanout(opts: FanoutOptions): Promise<Fanout> {
  const policy = opts.retry ?? DEFAULT_RETRY;
  const stopping = new AbortController();
  const log = opts.logger.child({ channel: opts.channel });

  const handle = async (env: Envelope): Promise<void> => {
    let event: PublishedEvent | undefined;
    let messages: OutboundMessage[];
    try {
      event = readPublishedEvent(env);
      if (!event) return;
      messages = opts.encode(event);
    } catch (e) {
      if (!(e instanceof EncodeError)) {
        // A bug, not a bad event: keep the message (retriable, so the consumer redelivers it) and say so loudly.
        log.error(`cannot encode event ${env.id} (${env.type}): ${(e as Error).stack ?? String(e)}`, { envelopeId: env.id });
        throw new ChannelUnavailableError(opts.channel, e);
      }
      // Retrying cannot fix a malformed event; holding it would stop the channel for good.
      log.error(`skipping event ${env.id} (${env.type}): ${e.message}`, { envelopeId: env.id });
      opts.observer?.({ kind: 'skipped', channel: opts.channel, envelopeId: env.id, reason: e.message });
      return;
    }
    if (messages.length === 0) return;
    const elog = forJob(log, { experimentId: event.event.experimentId, processId: event.event.processId });
    const attempts = await sendWithRetry(messages, env.id, elog);
    opts.observer?.({ kind: 'published', channel: opts.channel, envelopeId: env.id, messageIds: messages.map((m) => m.id), attempts });
  };

  // The outage in progress, if any: spans redeliveries, so its start and its end are each logged once.
  let outage: { since: number; failures: number } | undefined;

  const sendWithRetry = async (messages: OutboundMessage[], envelopeId: string, elog: Logger): Promise<number> => {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      if (stopping.signal.aborted) throw new PublisherStoppedError(opts.channel);
      try {
        await opts.sink.send(messages);
        if (outage) {
          elog.info(`${opts.sink.target} is back after ${Math.round((Date.now() - outage.since) / 1000)} s and ${outage.failures} failed attempts; event ${envelopeId} published`);
          outage = undefined;
        }
        return attempt;
      } catch (e) {
        const error = e instanceof ChannelUnavailableError ? e : new ChannelUnavailableError(opts.channel, e);
        opts.observer?.({ kind: 'retrying', channel: opts.channel, envelopeId, attempt, error: error.message });
        if (!outage) {
          outage = { since: Date.now(), failures: 0 };
          elog.warn(`${opts.sink.target} did not confirm event ${envelopeId}; retrying it, nothing after it goes first: ${error.message}`);
        } else if ((outage.failures + 1) % 20 === 0) {
          // A long outage says it is still there now and then, without flooding the log.
          elog.warn(`${opts.sink.target} still unavailable after ${Math.round((Date.now() - outage.since) / 1000)} s (${outage.failures + 1} attempts): ${error.message}`);
        }
        outage.failures++;
        // Past the window the consumer takes over: it redelivers this message, heartbeats meanwhile.
        if (Date.now() - started >= policy.windowMs) throw error;
        await sleep(retryDelay(attempt, policy), stopping.signal);
      }
    }
  };

  const consumer: Consumer = await startEnvelopeConsumer({
    kafka: opts.kafka,
    groupId: opts.groupId,
    topics: [opts.eventsTopic],
    logger: log,
    handle,
    onPoison: async (_m, meta, reason) => {
      opts.observer?.({ kind: 'skipped', channel: opts.channel, envelopeId: `${meta.topic}/${meta.partition}/${meta.offset}`, reason });
    },
  });
  log.info(`publishing ${opts.eventsTopic} to ${opts.sink.target}`);

  return {
    channel: opts.channel,
    async stop() {
      stopping.abort();
      await consumer.disconnect().catch((e: Error) => log.warn(`consumer disconnect failed: ${e.message}`));
      await opts.sink.close();
    },
  };
}
