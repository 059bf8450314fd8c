import { readFileSync } from 'node:fs';
import { createKafka } from '@msched/bus';
import type { Config } from '@msched/config';
import type { Logger } from '@msched/logging';
import { AmqpSink } from './channels/amqp-sink';
import { KafkaSink } from './channels/kafka-sink';
import type { Sink } from './channels/sink';
import { encodeMessagingEvent } from './encode/airavata-message';
import type { PublishedEvent } from './encode/event';
import { encodeJobMonitor } from './encode/job-monitor';
import { encodeMonitoringData } from './encode/monitoring-data';
import type { OutboundMessage } from './encode/outbound';
import { Fanout, PublisherObserver, startFanout } from './fanout';
import { ChannelName, ChannelPlan, channelGroupId, planPublishers } from './plan';
import type { RetryPolicy } from './retry';

export interface PublishersOptions {
  /** Told what each channel did with each event (metrics; tests wait on outages with it). */
  readonly observer?: PublisherObserver;
  readonly retry?: RetryPolicy;
}

export interface Publishers {
  /** The channels running, and where each publishes (`target` never contains credentials). */
  readonly channels: ReadonlyArray<{ readonly channel: ChannelName; readonly target: string }>;
  /** Stops every channel; events not yet confirmed are published after the next start. */
  stop(): Promise<void>;
}

/**
 * Starts the configured status channels (MSCHED_PUBLISHERS), each fed from `<prefix>events` by a
 * consumer group of its own. Runs inside any service; the handle stops them all.
 */
export async function startPublishers(cfg: Config, logger: Logger, opts: PublishersOptions = {}): Promise<Publishers> {
  const plan = planPublishers(cfg);
  const log = logger.child({ component: 'publishers' });
  for (const d of plan.disabled) log.info(`channel ${d.channel} not started: ${d.reason}`);
  const source = createKafka({ ...cfg.kafka, clientId: `${cfg.kafka.clientId}-publishers` }, log);
  const started: Fanout[] = [];
  const channels: Array<{ channel: ChannelName; target: string }> = [];
  try {
    for (const ch of plan.channels) {
      const sink = sinkFor(cfg, ch, log);
      started.push(await startFanout({
        channel: ch.channel,
        kafka: source,
        groupId: channelGroupId(cfg, ch.channel),
        eventsTopic: plan.eventsTopic,
        encode: encoderFor(cfg, ch.channel),
        sink,
        logger: log,
        retry: opts.retry,
        observer: opts.observer,
      }));
      channels.push({ channel: ch.channel, target: sink.target });
    }
  } catch (e) {
    await Promise.all(started.map((f) => f.stop()));
    throw e;
  }
  return {
    channels,
    async stop() {
      await Promise.all(started.map((f) => f.stop()));
    },
  };
}

function encoderFor(cfg: Config, channel: ChannelName): (e: PublishedEvent) => OutboundMessage[] {
  switch (channel) {
    case 'airavata-kafka':
    case 'airavata-amqp':
      return encodeMessagingEvent;
    case 'job-monitor':
      return encodeJobMonitor;
    case 'monitoring-data':
      return (e) => encodeMonitoringData(e, cfg.publishers.publisherName);
  }
}

function sinkFor(cfg: Config, ch: ChannelPlan, logger: Logger): Sink {
  if (ch.kind === 'amqp') {
    return new AmqpSink({ channel: ch.channel, url: ch.url, exchange: ch.exchange, logger, ca: cfg.publishers.amqpCaFile ? readCaFile(cfg.publishers.amqpCaFile) : undefined });
  }
  return new KafkaSink({
    channel: ch.channel,
    brokers: ch.brokers,
    clientId: `${cfg.kafka.clientId}-publisher-${ch.channel}`,
    topic: ch.topic,
    createTopic: cfg.publishers.createTopics ? { partitions: cfg.kafka.partitions, replicationFactor: cfg.kafka.replicationFactor } : undefined,
    logger,
    // Our own cluster (no MSCHED_PUBLISHERS_KAFKA_BROKERS): its TLS/SASL settings apply.
    ...(cfg.publishers.kafkaBrokers.length === 0 ? { security: cfg.kafka } : {}),
  });
}

function readCaFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read MSCHED_PUBLISHERS_AMQP_CA_FILE: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} (${path})`);
  }
}
