import type { Config } from '@msched/config';
import { topicName } from '@msched/bus';

/**
 * Which channels run and where they publish, worked out from the configuration alone (pure), so
 * start-up and its tests share one reading of the settings.
 */
export type ChannelName = Config['publishers']['channels'][number];

export type ChannelPlan =
  | { readonly channel: 'airavata-kafka' | 'job-monitor' | 'monitoring-data'; readonly kind: 'kafka'; readonly brokers: readonly string[]; readonly topic: string }
  /** `url` holds the AMQP password: hand it to the sink, never to a log line. */
  | { readonly channel: 'airavata-amqp'; readonly kind: 'amqp'; readonly url: string; readonly exchange: string };

export interface PublishersPlan {
  readonly eventsTopic: string;
  readonly channels: readonly ChannelPlan[];
  /** Channels asked for but not run, with the reason (logged at start). */
  readonly disabled: ReadonlyArray<{ channel: ChannelName; reason: string }>;
}

export function planPublishers(cfg: Config): PublishersPlan {
  const p = cfg.publishers;
  const brokers = p.kafkaBrokers.length ? p.kafkaBrokers : cfg.kafka.brokers;
  const channels: ChannelPlan[] = [];
  const disabled: Array<{ channel: ChannelName; reason: string }> = [];
  for (const channel of p.channels) {
    switch (channel) {
      case 'airavata-kafka':
        channels.push({ channel, kind: 'kafka', brokers, topic: p.messagingTopic || topicName(cfg.kafka.topicPrefix, 'airavataMessaging') });
        break;
      case 'job-monitor':
        channels.push({ channel, kind: 'kafka', brokers, topic: p.jobMonitorTopic });
        break;
      case 'monitoring-data':
        channels.push({ channel, kind: 'kafka', brokers, topic: p.monitoringTopic });
        break;
      case 'airavata-amqp':
        if (p.amqpUrl) channels.push({ channel, kind: 'amqp', url: p.amqpUrl, exchange: p.amqpExchange });
        else disabled.push({ channel, reason: 'MSCHED_PUBLISHERS_AMQP_URL is empty' });
        break;
    }
  }
  return { eventsTopic: topicName(cfg.kafka.topicPrefix, 'events'), channels, disabled };
}

/** Consumer group of a channel: one per channel and installation (the topic prefix tells installations apart). */
export function channelGroupId(cfg: Config, channel: ChannelName): string {
  return `${cfg.kafka.topicPrefix}publisher.${channel}`;
}
